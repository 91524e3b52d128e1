#include <arrow/record_batch.h>

#include "quiver/common/rfc3339.h"
#include "quiver/console/dataset_json_internal.h"
#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/store/dataset_store.h"

namespace quiver::console {
namespace {

using server::Operation;

/// GET /api/datasets?prefix=P: the live datasets the caller may list, as ListFlights
/// lists them (datasets outside the caller's grants are left out).
arrow::Status ListDatasets(const store::DatasetStore& store,
                           const httplib::Request& request, httplib::Response& response,
                           const Caller& caller) {
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kListFlights, nullptr));
  std::string prefix = request.get_param_value("prefix");
  if (prefix.size() > store::DatasetName::kMaxNameBytes) {
    return arrow::Status::Invalid("query parameter 'prefix' is over ",
                                  store::DatasetName::kMaxNameBytes, " bytes");
  }
  nlohmann::json datasets = nlohmann::json::array();
  for (const auto& info : store.List(prefix)) {
    if (!caller.Allowed(Operation::kListFlights, &info.name)) continue;
    datasets.push_back({{"name", info.name.ToString()},
                        {"rows", info.num_rows},
                        {"bytes", info.stored_bytes},
                        {"columns", info.schema ? info.schema->num_fields() : 0},
                        {"version", info.version},
                        {"committed_at_us", info.committed_at_us},
                        {"committed_at", FormatRfc3339Utc(info.committed_at_us)}});
  }
  SendJson(response, Dump({{"datasets", datasets}}));
  return arrow::Status::OK();
}

/// GET /api/dataset?name=N[&version=V]: schema and summary of one version, and which
/// of the writer's actions the caller may take on the dataset.
arrow::Status DescribeDataset(const store::DatasetStore& store,
                              const httplib::Request& request,
                              httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto name, NameParam(request));
  ARROW_ASSIGN_OR_RAISE(auto version, IntParam(request, "version", 1, INT64_MAX));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kGetFlightInfo, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, VersionOf(store, name, version));
  nlohmann::json json = VersionJson(info);
  json["name"] = name.ToString();
  json["schema"] = SchemaJson(*info.schema);
  json["actions"] = {{"drop", caller.Allowed(Operation::kDropDataset, &name)},
                     {"restore", caller.Allowed(Operation::kRestoreVersion, &name)},
                     {"compact", caller.Allowed(Operation::kCompact, &name)}};
  SendJson(response, Dump(json));
  return arrow::Status::OK();
}

/// GET /api/versions?name=N: every stored version, oldest first (list_versions).
arrow::Status ListVersions(const store::DatasetStore& store,
                           const httplib::Request& request, httplib::Response& response,
                           const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto name, NameParam(request));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kListVersions, &name));
  ARROW_ASSIGN_OR_RAISE(auto versions, store.ListVersions(name));
  auto current = store.Get(name);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& info : versions) {
    auto json = VersionJson(info);
    json["current"] = current.ok() && current->version == info.version;
    list.push_back(std::move(json));
  }
  SendJson(response, Dump({{"name", name.ToString()}, {"versions", list}}));
  return arrow::Status::OK();
}

/// GET /api/preview?name=N[&version=V][&limit=L]: the first rows of a version (a DoGet
/// with a limit: the reader stops there).
arrow::Status Preview(const store::DatasetStore& store, const httplib::Request& request,
                      httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto name, NameParam(request));
  ARROW_ASSIGN_OR_RAISE(auto version, IntParam(request, "version", 1, INT64_MAX));
  ARROW_ASSIGN_OR_RAISE(auto limit, IntParam(request, "limit", 0, kMaxPreviewRows));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kDoGet, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, VersionOf(store, name, version));
  store::ReadSpec spec;
  spec.limit = limit.value_or(100);
  ARROW_ASSIGN_OR_RAISE(auto reader, store.OpenReader(info, spec));
  nlohmann::json rows = nlohmann::json::array();
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto batch, reader->Next());
    if (batch == nullptr) break;
    AppendRows(*batch, &rows);
  }
  ARROW_RETURN_NOT_OK(reader->Close());
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& field : info.schema->fields()) columns.push_back(field->name());
  SendJson(response, Dump({{"name", name.ToString()},
                           {"version", info.version},
                           {"rows_total", info.num_rows},
                           {"columns", columns},
                           {"rows", rows}}));
  return arrow::Status::OK();
}

/// GET /api/stats?name=N[&version=V]: per-column statistics from the manifest.
arrow::Status Stats(const store::DatasetStore& store, const httplib::Request& request,
                    httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto name, NameParam(request));
  ARROW_ASSIGN_OR_RAISE(auto version, IntParam(request, "version", 1, INT64_MAX));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kGetFlightInfo, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, VersionOf(store, name, version));
  SendJson(response, Dump({{"name", name.ToString()},
                           {"version", info.version},
                           {"columns", ColumnStatsJson(info)}}));
  return arrow::Status::OK();
}

}  // namespace

void AddDatasetRoutes(httplib::Server& server, const RouteContext& context) {
  auto store = context.store;
  auto bind = [store](auto function) {
    return [store, function](const httplib::Request& request, httplib::Response& response,
                             const Caller& caller) {
      return function(*store, request, response, caller);
    };
  };
  server.Get("/api/datasets", Api(context, false, bind(ListDatasets)));
  server.Get("/api/dataset", Api(context, false, bind(DescribeDataset)));
  server.Get("/api/versions", Api(context, false, bind(ListVersions)));
  server.Get("/api/preview", Api(context, false, bind(Preview)));
  server.Get("/api/stats", Api(context, false, bind(Stats)));
}

}  // namespace quiver::console
