#include "quiver/server/dataset_addressing.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "quiver/common/codec_names.h"
#include "quiver/common/rfc3339.h"
#include "quiver/common/strict_json.h"
#include "quiver/server/filter_expression.h"
#include "quiver/server/ipc_compression.h"
#include "quiver/store/model/manifest.h"

namespace quiver::server {
namespace {

constexpr std::string_view kTicketPrefixV1 = ".quiver/1/";
constexpr std::string_view kTicketPrefixV2 = ".quiver/2/";
constexpr std::string_view kTicketPrefixV3 = ".quiver/3/";
constexpr int64_t kMaxVersion = int64_t{1} << 62;
constexpr int64_t kMaxRowGroupOrdinal = int64_t{1} << 50;

/// The read vocabulary shared by commands and selective tickets.
enum class SelectionOf { kCommand, kTicket };

arrow::Status ParseSelection(const StrictJson& request, SelectionOf of,
                             ReadSelection* out) {
  ARROW_ASSIGN_OR_RAISE(out->columns, request.StringList("columns", kMaxColumns));
  if (out->columns && out->columns->empty()) {
    return arrow::Status::Invalid("'columns' in ", request.what(),
                                  " must name at least one column");
  }
  ARROW_ASSIGN_OR_RAISE(out->filter, request.String("filter"));
  if (out->filter) {
    ARROW_ASSIGN_OR_RAISE(out->filter_expression, DecodeFilter(*out->filter));
  }
  ARROW_ASSIGN_OR_RAISE(out->limit, request.Integer("limit", 0, kMaxLimit));
  ARROW_ASSIGN_OR_RAISE(auto compression, request.String("compression"));
  if (compression) {
    auto codec = ParseCodec(CodecUse::kIpc, *compression);
    if (!codec.ok()) {
      return arrow::Status::Invalid("'compression' in ", request.what(), ": ",
                                    codec.status().message());
    }
    out->compression = *codec;
  }
  if (of == SelectionOf::kCommand) {
    if (request.has("endpoints") && request.json().at("endpoints").is_string()) {
      if (request.json().at("endpoints").get_ref<const std::string&>() != "auto") {
        return arrow::Status::Invalid("'endpoints' in ", request.what(),
                                      " must be an integer or \"auto\"");
      }
      out->endpoints = kAutoEndpoints;
    } else {
      ARROW_ASSIGN_OR_RAISE(out->endpoints,
                            request.Integer("endpoints", 1, kMaxEndpoints));
    }
    return arrow::Status::OK();
  }
  if (request.has("row_groups")) {
    const auto& range = request.json().at("row_groups");
    auto ordinal = [](const nlohmann::json& v) {
      return v.is_number_unsigned() && v.get<uint64_t>() <= kMaxRowGroupOrdinal;
    };
    if (!range.is_array() || range.size() != 2 || !ordinal(range[0]) ||
        !ordinal(range[1]) || range[0].get<int64_t>() >= range[1].get<int64_t>()) {
      return arrow::Status::Invalid("'row_groups' in ", request.what(),
                                    " must be [begin, end] with 0 <= begin < end");
    }
    out->row_groups =
        store::RowGroupRange{range[0].get<int64_t>(), range[1].get<int64_t>()};
  }
  return arrow::Status::OK();
}

arrow::Result<store::DatasetName> NameOf(const StrictJson& request) {
  ARROW_ASSIGN_OR_RAISE(auto text, request.RequiredString("dataset"));
  auto name = store::DatasetName::Parse(text);
  if (!name.ok()) {
    return arrow::Status::Invalid("'dataset' in ", request.what(), ": ",
                                  name.status().message());
  }
  return name;
}

arrow::Result<DatasetRequest> ParseReadCommand(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(
      auto request, StrictJson::Parse(text, "the command",
                                      {"dataset", "version", "as_of", "columns", "filter",
                                       "limit", "endpoints", "compression"}));
  ARROW_ASSIGN_OR_RAISE(auto name, NameOf(request));
  DatasetRequest out(std::move(name));
  ARROW_RETURN_NOT_OK(ParseSelection(request, SelectionOf::kCommand, &out.read));
  ARROW_ASSIGN_OR_RAISE(out.version, request.Integer("version", 1, kMaxVersion));
  ARROW_ASSIGN_OR_RAISE(auto as_of, request.String("as_of"));
  if (as_of) {
    if (out.version) {
      return arrow::Status::Invalid("the command gives both 'version' and 'as_of'");
    }
    auto micros = ParseRfc3339(*as_of);
    if (!micros.ok()) {
      return arrow::Status::Invalid("'as_of' in the command: ",
                                    micros.status().message());
    }
    out.as_of_us = *micros;
  }
  return out;
}

arrow::Result<DatasetRequest> ParseWriteCommand(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(
      auto request, StrictJson::Parse(text, "the DoPut command", {"dataset", "mode"}));
  ARROW_ASSIGN_OR_RAISE(auto name, NameOf(request));
  DatasetRequest out(std::move(name));
  ARROW_ASSIGN_OR_RAISE(auto mode, request.String("mode"));
  if (mode && *mode == "append") {
    out.mode = store::UploadMode::kAppend;
  } else if (mode && *mode != "overwrite") {
    return arrow::Status::Invalid(
        "'mode' in the DoPut command must be \"append\" or "
        "\"overwrite\", not \"",
        *mode, "\"");
  }
  return out;
}

}  // namespace

arrow::Result<DatasetRequest> ParseDescriptor(
    const arrow::flight::FlightDescriptor& descriptor, DescriptorUse use) {
  if (descriptor.type == arrow::flight::FlightDescriptor::PATH) {
    ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Make(descriptor.path));
    return DatasetRequest(std::move(name));
  }
  if (descriptor.type != arrow::flight::FlightDescriptor::CMD) {
    return arrow::Status::Invalid("unknown descriptor type");
  }
  return use == DescriptorUse::kRead ? ParseReadCommand(descriptor.cmd)
                                     : ParseWriteCommand(descriptor.cmd);
}

arrow::flight::FlightDescriptor DescriptorOf(const store::DatasetName& name) {
  return arrow::flight::FlightDescriptor::Path(name.segments());
}

arrow::flight::Ticket MintTicket(const store::DatasetName& name, int64_t version) {
  nlohmann::json ticket = {{"dataset", name.ToString()}, {"version", version}};
  return arrow::flight::Ticket{std::string(kTicketPrefixV2) + ticket.dump()};
}

arrow::flight::Ticket MintTicket(const store::DatasetName& name, int64_t version,
                                 const ReadSelection& read) {
  nlohmann::json ticket = {{"dataset", name.ToString()}, {"version", version}};
  if (read.columns) ticket["columns"] = *read.columns;
  if (read.filter) ticket["filter"] = *read.filter;
  if (read.limit) ticket["limit"] = *read.limit;
  if (read.compression)
    ticket["compression"] = CodecName(CodecUse::kIpc, *read.compression);
  if (read.row_groups) {
    ticket["row_groups"] = {read.row_groups->begin, read.row_groups->end};
  }
  return arrow::flight::Ticket{std::string(kTicketPrefixV3) + ticket.dump()};
}

store::ReadSpec ReadSelection::ToSpec() const {
  store::ReadSpec spec;
  spec.columns = columns;
  spec.filter = filter_expression;
  spec.limit = limit;
  spec.row_groups = row_groups;
  return spec;
}

arrow::Result<TicketRequest> ParseTicket(std::string_view ticket) {
  if (ticket.size() > kMaxTicketBytes) {
    return arrow::Status::Invalid("invalid ticket: larger than ", kMaxTicketBytes,
                                  " bytes");
  }
  if (ticket.starts_with(kTicketPrefixV3)) {
    ticket.remove_prefix(kTicketPrefixV3.size());
    auto parsed = [&]() -> arrow::Result<TicketRequest> {
      ARROW_ASSIGN_OR_RAISE(auto request,
                            StrictJson::Parse(ticket, "the ticket",
                                              {"dataset", "version", "columns", "filter",
                                               "limit", "compression", "row_groups"},
                                              kMaxTicketBytes));
      ARROW_ASSIGN_OR_RAISE(auto name, NameOf(request));
      ARROW_ASSIGN_OR_RAISE(auto version, request.Integer("version", 1, kMaxVersion));
      if (!version) return arrow::Status::Invalid("it names no version");
      TicketRequest out{std::move(name), version, {}};
      ARROW_RETURN_NOT_OK(ParseSelection(request, SelectionOf::kTicket, &out.read));
      return out;
    }();
    if (!parsed.ok()) {
      return arrow::Status::Invalid("invalid ticket: ", parsed.status().message());
    }
    return parsed;
  }
  if (ticket.starts_with(kTicketPrefixV2)) {
    ticket.remove_prefix(kTicketPrefixV2.size());
    auto request = StrictJson::Parse(ticket, "the ticket", {"dataset", "version"});
    if (!request.ok()) {
      return arrow::Status::Invalid("invalid ticket: ", request.status().message());
    }
    auto name = NameOf(*request);
    if (!name.ok())
      return arrow::Status::Invalid("invalid ticket: ", name.status().message());
    auto version = request->Integer("version", 1, kMaxVersion);
    if (!version.ok() || !*version) {
      return arrow::Status::Invalid("invalid ticket: it names no valid version");
    }
    return TicketRequest{std::move(*name), *version, {}};
  }
  if (ticket.starts_with(kTicketPrefixV1)) ticket.remove_prefix(kTicketPrefixV1.size());
  auto name = store::DatasetName::Parse(ticket);
  if (!name.ok()) {
    return arrow::Status::Invalid("invalid ticket: ", name.status().message());
  }
  return TicketRequest{std::move(*name), std::nullopt, {}};
}

arrow::Result<DatasetRequest> ParseActionBody(std::string_view body,
                                              std::string_view action,
                                              bool with_version) {
  std::string what = fmt::format("the body of {}", action);
  if (!body.starts_with('{')) {
    if (with_version) {
      return arrow::Status::Invalid(what,
                                    " must be a JSON object {\"dataset\": ..., "
                                    "\"version\": N}");
    }
    ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(body));
    return DatasetRequest(std::move(name));
  }
  auto request = with_version ? StrictJson::Parse(body, what, {"dataset", "version"})
                              : StrictJson::Parse(body, what, {"dataset"});
  ARROW_RETURN_NOT_OK(request.status());
  ARROW_ASSIGN_OR_RAISE(auto name, NameOf(*request));
  DatasetRequest out(std::move(name));
  if (with_version) {
    ARROW_ASSIGN_OR_RAISE(out.version, request->Integer("version", 1, kMaxVersion));
    if (!out.version) return arrow::Status::Invalid(what, " needs 'version'");
  }
  return out;
}

}  // namespace quiver::server
