#include "quiver/server/quiver_service.h"

#include <nlohmann/json.hpp>

#include <arrow/ipc/writer.h>
#include <arrow/memory_pool.h>
#include <arrow/util/byte_size.h>

#include "quiver/common/rfc3339.h"
#include "quiver/flightsql/command_codec.h"
#include "quiver/server/call_stats_internal.h"
#include "quiver/server/counting_reader_internal.h"
#include "quiver/server/dataset_addressing.h"
#include "quiver/server/flight_status_internal.h"
#include "quiver/server/idle_tracking_reader_internal.h"
#include "quiver/server/ipc_compression.h"
#include "quiver/store/model/store_errors.h"

namespace quiver::server {

namespace flight = arrow::flight;

namespace {
constexpr char kDropDataset[] = "drop_dataset";
constexpr char kHealthCheck[] = "health_check";
constexpr char kListVersions[] = "list_versions";
constexpr char kRestoreVersion[] = "restore_version";
constexpr char kCompact[] = "compact";

arrow::Status SqlDisabled() {
  return arrow::Status::NotImplemented("Flight SQL is not enabled on this server");
}

/// One line of list_versions, and the app_metadata of a FlightInfo (ListFlights makes
/// one per dataset). Keys keep the order written here (ordered_json): people read it.
std::string VersionJson(const store::DatasetInfo& info) {
  nlohmann::ordered_json line = {
      {"dataset", info.name.ToString()},
      {"version", info.version},
      {"committed_at", FormatRfc3339Utc(info.committed_at_us)},
      {"operation", std::string(store::VersionOperationName(info.manifest->operation))},
      {"rows", info.num_rows},
      {"bytes", info.stored_bytes},
      {"parts", info.manifest->parts.size()},
  };
  if (info.manifest->restored_from) line["restored_from"] = *info.manifest->restored_from;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

flight::Result JsonResult(std::string json) {
  return flight::Result{arrow::Buffer::FromString(std::move(json))};
}

/// An error reading what the client uploads (Arrow's IPC decoding of its messages) is
/// the client's: INVALID_ARGUMENT, whatever code Arrow gave it. Flight's own statuses
/// (the transport's), cancellation and out-of-memory keep theirs.
arrow::Status UploadStreamError(const arrow::Status& status,
                                const store::DatasetName& name) {
  if (status.ok() || flight::FlightStatusDetail::UnwrapStatus(status) ||
      status.IsCancelled() || status.IsOutOfMemory()) {
    return status;
  }
  return arrow::Status::Invalid("cannot read the upload of '", name.ToString(),
                                "': ", status.message());
}
}  // namespace

QuiverService::QuiverService(std::shared_ptr<store::DatasetStore> store,
                             std::vector<flight::Location> locations,
                             ServiceExtensions extensions)
    : store_(std::move(store)),
      locations_(std::move(locations)),
      extensions_(std::move(extensions)) {}

arrow::Status QuiverService::Authorize(const flight::ServerCallContext& context,
                                       Operation operation,
                                       const store::DatasetName* dataset) {
  if (extensions_.authorizer == nullptr) return arrow::Status::OK();
  return extensions_.authorizer->Authorize(context, operation, dataset);
}

arrow::Result<std::unique_ptr<StreamSlot>> QuiverService::AdmitStream(
    const flight::ServerCallContext& context, std::string description) {
  if (extensions_.limits == nullptr) return nullptr;
  std::string caller;
  if (extensions_.authorizer != nullptr) {
    caller = extensions_.authorizer->CallerName(context);
  }
  if (caller.empty()) {
    // Not authenticated: count by client address (the peer without its port).
    const std::string& peer = context.peer();
    caller = "client " + peer.substr(0, peer.rfind(':'));
  }
  return extensions_.limits->Admit(std::move(caller), context.peer(),
                                   std::move(description));
}

arrow::Result<flight::FlightInfo> QuiverService::MakeInfo(
    const store::DatasetInfo& info, const flight::FlightDescriptor* request) const {
  flight::FlightInfo::Data data;
  auto make = [&]() -> arrow::Result<InfoPieces> {
    ARROW_ASSIGN_OR_RAISE(auto schema, arrow::ipc::SerializeSchema(*info.schema));
    return InfoPieces{schema->ToString(), MintTicket(info.name, info.version).ticket,
                      VersionJson(info)};
  };
  ARROW_ASSIGN_OR_RAISE(auto pieces,
                        info.manifest && !info.dropped()
                            ? infos_.Get(info.name.ToString(), info.manifest, make)
                            : make());
  data.schema = std::move(pieces.schema);
  if (request == nullptr || request->type == flight::FlightDescriptor::PATH) {
    data.descriptor = DescriptorOf(info.name);
  } else {
    data.descriptor = *request;
  }
  data.endpoints.push_back(flight::FlightEndpoint{
      flight::Ticket{std::move(pieces.ticket)}, locations_, std::nullopt, ""});
  data.total_records = info.num_rows;
  data.total_bytes = info.stored_bytes;
  data.app_metadata = std::move(pieces.app_metadata);
  return flight::FlightInfo(std::move(data));
}

arrow::Result<flight::FlightInfo> QuiverService::MakeSelectiveInfo(
    const store::DatasetInfo& info, const ReadSelection& read,
    const flight::FlightDescriptor& request) const {
  if (!info.manifest || info.dropped()) return store::DatasetNotFound(info.name);
  ARROW_ASSIGN_OR_RAISE(auto plan, store::PlanRead(*info.manifest, read.ToSpec()));
  flight::FlightInfo::Data data;
  ARROW_ASSIGN_OR_RAISE(auto schema, arrow::ipc::SerializeSchema(*plan.schema));
  data.schema = schema->ToString();
  data.descriptor = request;
  // A limit is one ordered read: one endpoint (several could not share the limit).
  int64_t count = 1;
  if (read.endpoints && !read.limit) {
    count = *read.endpoints == kAutoEndpoints ? store::AutoSplitCount(*info.manifest)
                                              : *read.endpoints;
  }
  ReadSelection endpoint = read;
  endpoint.endpoints.reset();
  auto ranges = store::SplitRowGroups(*info.manifest, count);
  if (ranges.size() <= 1) {
    data.endpoints.push_back(flight::FlightEndpoint{
        MintTicket(info.name, info.version, endpoint), locations_, std::nullopt, ""});
  } else {
    for (const auto& range : ranges) {
      endpoint.row_groups = range;
      data.endpoints.push_back(flight::FlightEndpoint{
          MintTicket(info.name, info.version, endpoint), locations_, std::nullopt, ""});
    }
  }
  // Unknown (-1, as the Flight spec says) when a filter decides the rows, or the
  // columns the bytes.
  data.total_records = read.filter ? -1 : info.num_rows;
  if (read.limit && !read.filter) {
    data.total_records = std::min(*read.limit, info.num_rows);
  }
  data.total_bytes = read.filter || read.columns || read.limit ? -1 : info.stored_bytes;
  // Endpoints read in order give the version's rows in order.
  data.ordered = true;
  data.app_metadata = VersionJson(info);
  return flight::FlightInfo(std::move(data));
}

arrow::Result<store::DatasetInfo> QuiverService::Resolve(
    const DatasetRequest& request) const {
  if (request.version) return store_->GetVersion(request.name, *request.version);
  if (request.as_of_us) return store_->GetAsOf(request.name, *request.as_of_us);
  return store_->Get(request.name);
}

arrow::Status QuiverService::ListFlights(
    const flight::ServerCallContext& context, const flight::Criteria* criteria,
    std::unique_ptr<flight::FlightListing>* listings) {
  ARROW_RETURN_NOT_OK(Authorize(context, Operation::kListFlights, nullptr));
  std::string_view prefix;
  if (criteria != nullptr) prefix = criteria->expression;
  std::vector<flight::FlightInfo> infos;
  for (const auto& info : store_->List(prefix)) {
    // Datasets the caller may not see are left out of the listing.
    if (!Authorize(context, Operation::kListFlights, &info.name).ok()) continue;
    auto flight_info = MakeInfo(info);
    if (!flight_info.ok()) return ToFlightStatus(flight_info.status());
    infos.push_back(std::move(*flight_info));
  }
  *listings = std::make_unique<flight::SimpleFlightListing>(std::move(infos));
  return arrow::Status::OK();
}

arrow::Status QuiverService::GetFlightInfo(const flight::ServerCallContext& context,
                                           const flight::FlightDescriptor& request,
                                           std::unique_ptr<flight::FlightInfo>* info) {
  auto sql = IsSql(request);
  if (!sql.ok()) return ToFlightStatus(sql.status());
  if (*sql) return ToFlightStatus(extensions_.sql->GetFlightInfo(context, request, info));
  auto result = [&]() -> arrow::Result<flight::FlightInfo> {
    ARROW_ASSIGN_OR_RAISE(auto dataset_request,
                          ParseDescriptor(request, DescriptorUse::kRead));
    const auto& name = dataset_request.name;
    GetCallStats(context)->dataset = name.ToString();
    ARROW_RETURN_NOT_OK(Authorize(context, Operation::kGetFlightInfo, &name));
    ARROW_ASSIGN_OR_RAISE(auto dataset, Resolve(dataset_request));
    if (dataset_request.read.selective()) {
      return MakeSelectiveInfo(dataset, dataset_request.read, request);
    }
    return MakeInfo(dataset, &request);
  }();
  if (!result.ok()) return ToFlightStatus(result.status());
  *info = std::make_unique<flight::FlightInfo>(std::move(*result));
  return arrow::Status::OK();
}

arrow::Status QuiverService::GetSchema(const flight::ServerCallContext& context,
                                       const flight::FlightDescriptor& request,
                                       std::unique_ptr<flight::SchemaResult>* schema) {
  auto sql = IsSql(request);
  if (!sql.ok()) return ToFlightStatus(sql.status());
  if (*sql) return ToFlightStatus(extensions_.sql->GetSchema(context, request, schema));
  auto result = [&]() -> arrow::Result<std::unique_ptr<flight::SchemaResult>> {
    ARROW_ASSIGN_OR_RAISE(auto dataset_request,
                          ParseDescriptor(request, DescriptorUse::kRead));
    const auto& name = dataset_request.name;
    GetCallStats(context)->dataset = name.ToString();
    ARROW_RETURN_NOT_OK(Authorize(context, Operation::kGetSchema, &name));
    ARROW_ASSIGN_OR_RAISE(auto dataset, Resolve(dataset_request));
    if (dataset_request.read.selective() && dataset.manifest) {
      ARROW_ASSIGN_OR_RAISE(
          auto plan, store::PlanRead(*dataset.manifest, dataset_request.read.ToSpec()));
      return flight::SchemaResult::Make(*plan.schema);
    }
    return flight::SchemaResult::Make(*dataset.schema);
  }();
  if (!result.ok()) return ToFlightStatus(result.status());
  *schema = std::move(*result);
  return arrow::Status::OK();
}

arrow::Status QuiverService::DoGet(const flight::ServerCallContext& context,
                                   const flight::Ticket& request,
                                   std::unique_ptr<flight::FlightDataStream>* stream) {
  if (flightsql::IsFlightSqlMessage(request.ticket)) {
    if (!extensions_.sql) return ToFlightStatus(SqlDisabled());
    return ToFlightStatus(extensions_.sql->DoGet(context, request, stream));
  }
  return ToFlightStatus(Get(context, request, stream));
}

arrow::Status QuiverService::Get(const flight::ServerCallContext& context,
                                 const flight::Ticket& request,
                                 std::unique_ptr<flight::FlightDataStream>* stream) {
  ARROW_ASSIGN_OR_RAISE(auto ticket, ParseTicket(request.ticket));
  const auto& name = ticket.name;
  CallStats* stats = GetCallStats(context);
  stats->dataset = name.ToString();
  ARROW_RETURN_NOT_OK(Authorize(context, Operation::kDoGet, &name));
  ARROW_ASSIGN_OR_RAISE(auto slot,
                        AdmitStream(context, "DoGet of '" + name.ToString() + "'"));
  std::shared_ptr<arrow::RecordBatchReader> reader;
  if (ticket.version) {
    ARROW_ASSIGN_OR_RAISE(auto version, store_->GetVersion(name, *ticket.version));
    // Selective tickets are checked against the version again (ranges, columns,
    // filter): they are untrusted input.
    ARROW_ASSIGN_OR_RAISE(reader, store_->OpenReader(version, ticket.read.ToSpec()));
  } else {
    ARROW_ASSIGN_OR_RAISE(reader, store_->OpenReader(name));
  }
  ARROW_ASSIGN_OR_RAISE(
      auto ipc_options,
      IpcOptionsFor(ticket.read.compression.value_or(extensions_.ipc_compression)));
  reader = MakeCountingReader(std::move(reader), stats);
  if (slot) reader = MakeIdleTrackingReader(std::move(reader), std::move(slot));
  *stream = std::make_unique<flight::RecordBatchStream>(std::move(reader), ipc_options);
  return arrow::Status::OK();
}

arrow::Status QuiverService::DoPut(const flight::ServerCallContext& context,
                                   std::unique_ptr<flight::FlightMessageReader> reader,
                                   std::unique_ptr<flight::FlightMetadataWriter> writer) {
  auto sql = IsSql(reader->descriptor());
  if (!sql.ok()) return ToFlightStatus(sql.status());
  if (*sql) return ToFlightStatus(extensions_.sql->DoPut(context, *reader, *writer));
  return ToFlightStatus(Put(context, *reader));
}

arrow::Status QuiverService::Put(const flight::ServerCallContext& context,
                                 flight::FlightMessageReader& reader) {
  ARROW_ASSIGN_OR_RAISE(auto request,
                        ParseDescriptor(reader.descriptor(), DescriptorUse::kWrite));
  const auto& name = request.name;
  CallStats* stats = GetCallStats(context);
  stats->dataset = name.ToString();
  ARROW_RETURN_NOT_OK(Authorize(context, Operation::kDoPut, &name));
  ARROW_ASSIGN_OR_RAISE(auto slot,
                        AdmitStream(context, "DoPut of '" + name.ToString() + "'"));
  auto schema = reader.GetSchema();
  if (!schema.ok()) return UploadStreamError(schema.status(), name);
  ARROW_ASSIGN_OR_RAISE(auto upload, store_->BeginUpload(name, *schema, request.mode));
  // --max-upload-bytes bounds the upload, and an append's dataset as a whole.
  int64_t stored_before = 0;
  if (slot && request.mode == store::UploadMode::kAppend) {
    auto current = store_->Get(name);
    if (current.ok()) stored_before = current->stored_bytes;
  }
  while (true) {
    if (slot) slot->Waiting();
    auto next = reader.Next();
    if (!next.ok()) return UploadStreamError(next.status(), name);
    flight::FlightStreamChunk chunk = std::move(*next);
    if (slot) slot->Busy();
    if (chunk.data == nullptr) {
      if (chunk.app_metadata != nullptr) continue;  // metadata-only message
      break;
    }
    stats->rows += chunk.data->num_rows();
    stats->bytes += arrow::util::TotalBufferSize(*chunk.data);
    if (slot) {
      ARROW_RETURN_NOT_OK(
          extensions_.limits->CheckUpload(name.ToString(), stored_before, stats->bytes));
    }
    ARROW_RETURN_NOT_OK(upload->Write(chunk.data));
  }
  // A client that disconnects or cancels also ends the stream: never commit that.
  if (context.is_cancelled()) {
    return arrow::Status::Cancelled("upload of '", name.ToString(),
                                    "' was cancelled; the dataset is unchanged");
  }
  return upload->Commit().status();
}

arrow::Status QuiverService::DoAction(const flight::ServerCallContext& context,
                                      const flight::Action& action,
                                      std::unique_ptr<flight::ResultStream>* result) {
  if (extensions_.sql && extensions_.sql->ServesAction(action.type)) {
    return ToFlightStatus(extensions_.sql->DoAction(context, action, result));
  }
  return ToFlightStatus(Action(context, action, result));
}

arrow::Status QuiverService::Action(const flight::ServerCallContext& context,
                                    const flight::Action& action,
                                    std::unique_ptr<flight::ResultStream>* result) {
  std::vector<flight::Result> results;
  std::string_view body = action.body ? std::string_view(*action.body) : "";
  if (action.type == kDropDataset || action.type == kListVersions ||
      action.type == kRestoreVersion || action.type == kCompact) {
    ARROW_ASSIGN_OR_RAISE(
        auto request, ParseActionBody(body, action.type, action.type == kRestoreVersion));
    const auto& name = request.name;
    GetCallStats(context)->dataset = name.ToString();
    if (action.type == kDropDataset) {
      ARROW_RETURN_NOT_OK(Authorize(context, Operation::kDropDataset, &name));
      ARROW_RETURN_NOT_OK(store_->Drop(name));
      infos_.Erase(name.ToString());
    } else if (action.type == kListVersions) {
      ARROW_RETURN_NOT_OK(Authorize(context, Operation::kListVersions, &name));
      ARROW_ASSIGN_OR_RAISE(auto versions, store_->ListVersions(name));
      for (const auto& version : versions)
        results.push_back(JsonResult(VersionJson(version)));
    } else if (action.type == kRestoreVersion) {
      ARROW_RETURN_NOT_OK(Authorize(context, Operation::kRestoreVersion, &name));
      ARROW_ASSIGN_OR_RAISE(auto restored, store_->Restore(name, *request.version));
      infos_.Erase(name.ToString());
      results.push_back(JsonResult(VersionJson(restored)));
    } else {
      ARROW_RETURN_NOT_OK(Authorize(context, Operation::kCompact, &name));
      ARROW_ASSIGN_OR_RAISE(auto compacted, store_->Compact(name));
      results.push_back(JsonResult(VersionJson(compacted)));
    }
  } else if (action.type == kHealthCheck) {
    ARROW_RETURN_NOT_OK(Authorize(context, Operation::kHealthCheck, nullptr));
    ARROW_RETURN_NOT_OK(store_->CheckReachable());
    auto* pool = arrow::default_memory_pool();
    const nlohmann::ordered_json body = {
        {"status", "ok"},
        {"datasets", store_->dataset_count()},
        {"bytes", store_->total_bytes()},
        {"memory_pool", pool->backend_name()},
        {"pool_bytes_allocated", pool->bytes_allocated()},
        {"pool_max_memory", pool->max_memory()},
    };
    results.push_back(JsonResult(body.dump()));
  } else {
    std::shared_ptr<ActionHandler> handler;
    for (const auto& candidate : extensions_.actions) {
      if (candidate->type().type == action.type) handler = candidate;
    }
    if (handler == nullptr) {
      return arrow::Status::NotImplemented("unknown action '", action.type, "'");
    }
    ARROW_RETURN_NOT_OK(Authorize(context, handler->operation(), nullptr));
    ARROW_ASSIGN_OR_RAISE(results, handler->Run(context, action));
  }
  *result = std::make_unique<flight::SimpleResultStream>(std::move(results));
  return arrow::Status::OK();
}

arrow::Status QuiverService::ListActions(const flight::ServerCallContext& context,
                                         std::vector<flight::ActionType>* actions) {
  ARROW_RETURN_NOT_OK(Authorize(context, Operation::kListActions, nullptr));
  *actions = {
      {kDropDataset,
       "Delete a dataset. Body: the dataset name (UTF-8, '/' between "
       "segments)."},
      {kHealthCheck, "Check that the store is reachable. Returns a JSON status."},
      {kListVersions,
       "List a dataset's stored versions. Body: the dataset name (or {\"dataset\": "
       "...}). Returns one JSON object per version: version, committed_at, operation, "
       "rows, bytes, parts."},
      {kRestoreVersion,
       "Make an older version current again, as a new version. Body: {\"dataset\": "
       "..., \"version\": N}. Returns the new version as JSON."},
      {kCompact,
       "Rewrite a dataset's small parts into larger ones, as a new version with the "
       "same rows. Body: the dataset name. Returns the resulting version as JSON."},
  };
  for (const auto& handler : extensions_.actions) actions->push_back(handler->type());
  if (extensions_.sql) {
    for (auto& type : extensions_.sql->ActionTypes()) actions->push_back(std::move(type));
  }
  return arrow::Status::OK();
}

arrow::Result<bool> QuiverService::IsSql(const flight::FlightDescriptor& request) const {
  if (request.type != flight::FlightDescriptor::CMD ||
      !flightsql::IsFlightSqlMessage(request.cmd)) {
    return false;
  }
  if (!extensions_.sql) return SqlDisabled();
  return true;
}

}  // namespace quiver::server
