#include "quiver/server/dataset_addressing.h"
#include "quiver/common/rfc3339.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "quiver/server/request_json.h"
#include "quiver/store/manifest.h"

namespace quiver::server {
namespace {

constexpr std::string_view kTicketPrefixV1 = ".quiver/1/";
constexpr std::string_view kTicketPrefixV2 = ".quiver/2/";
constexpr int64_t kMaxVersion = int64_t{1} << 62;

arrow::Result<store::DatasetName> NameOf(const JsonRequest& request) {
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
      auto request,
      JsonRequest::Parse(text, "the command", {"dataset", "version", "as_of"}));
  ARROW_ASSIGN_OR_RAISE(auto name, NameOf(request));
  DatasetRequest out(std::move(name));
  ARROW_ASSIGN_OR_RAISE(out.version, request.Integer("version", 1, kMaxVersion));
  ARROW_ASSIGN_OR_RAISE(auto as_of, request.String("as_of"));
  if (as_of) {
    if (out.version) {
      return arrow::Status::Invalid("the command gives both 'version' and 'as_of'");
    }
    auto micros = ParseRfc3339(*as_of);
    if (!micros.ok()) {
      return arrow::Status::Invalid("'as_of' in the command: ", micros.status().message());
    }
    out.as_of_us = *micros;
  }
  return out;
}

arrow::Result<DatasetRequest> ParseWriteCommand(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(auto request,
                        JsonRequest::Parse(text, "the DoPut command", {"dataset", "mode"}));
  ARROW_ASSIGN_OR_RAISE(auto name, NameOf(request));
  DatasetRequest out(std::move(name));
  ARROW_ASSIGN_OR_RAISE(auto mode, request.String("mode"));
  if (mode && *mode == "append") {
    out.mode = store::UploadMode::kAppend;
  } else if (mode && *mode != "overwrite") {
    return arrow::Status::Invalid("'mode' in the DoPut command must be \"append\" or "
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

arrow::Result<TicketRequest> ParseTicket(std::string_view ticket) {
  if (ticket.starts_with(kTicketPrefixV2)) {
    ticket.remove_prefix(kTicketPrefixV2.size());
    auto request = JsonRequest::Parse(ticket, "the ticket", {"dataset", "version"});
    if (!request.ok()) {
      return arrow::Status::Invalid("invalid ticket: ", request.status().message());
    }
    auto name = NameOf(*request);
    if (!name.ok()) return arrow::Status::Invalid("invalid ticket: ", name.status().message());
    auto version = request->Integer("version", 1, kMaxVersion);
    if (!version.ok() || !*version) {
      return arrow::Status::Invalid("invalid ticket: it names no valid version");
    }
    return TicketRequest{std::move(*name), *version};
  }
  if (ticket.starts_with(kTicketPrefixV1)) ticket.remove_prefix(kTicketPrefixV1.size());
  auto name = store::DatasetName::Parse(ticket);
  if (!name.ok()) {
    return arrow::Status::Invalid("invalid ticket: ", name.status().message());
  }
  return TicketRequest{std::move(*name), std::nullopt};
}

arrow::Result<DatasetRequest> ParseActionBody(std::string_view body,
                                              std::string_view action, bool with_version) {
  std::string what = fmt::format("the body of {}", action);
  if (!body.starts_with('{')) {
    if (with_version) {
      return arrow::Status::Invalid(what, " must be a JSON object {\"dataset\": ..., "
                                          "\"version\": N}");
    }
    ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(body));
    return DatasetRequest(std::move(name));
  }
  auto request = with_version ? JsonRequest::Parse(body, what, {"dataset", "version"})
                              : JsonRequest::Parse(body, what, {"dataset"});
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
