#include "quiver/client/version_info.h"

#include <nlohmann/json.hpp>

namespace quiver::client {
namespace {

arrow::Status Malformed(std::string_view why) {
  return arrow::Status::IOError("the server sent an invalid version description: ", why);
}

arrow::Result<int64_t> IntegerMember(const nlohmann::json& doc, const char* key,
                                     bool required) {
  auto it = doc.find(key);
  if (it == doc.end()) {
    if (required) return Malformed(std::string("no '") + key + "'");
    return 0;
  }
  if (!it->is_number_integer()) {
    return Malformed(std::string("'") + key + "' is not an integer");
  }
  return it->get<int64_t>();
}

arrow::Result<std::string> StringMember(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end()) return Malformed(std::string("no '") + key + "'");
  if (!it->is_string()) return Malformed(std::string("'") + key + "' is not a string");
  return it->get<std::string>();
}

}  // namespace

arrow::Result<VersionInfo> ParseVersionInfo(std::string_view json) {
  auto doc = nlohmann::json::parse(json, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Malformed("not a JSON object");
  VersionInfo out;
  ARROW_ASSIGN_OR_RAISE(out.dataset, StringMember(doc, "dataset"));
  ARROW_ASSIGN_OR_RAISE(out.version, IntegerMember(doc, "version", true));
  if (out.version < 1) return Malformed("'version' is not positive");
  ARROW_ASSIGN_OR_RAISE(out.committed_at, StringMember(doc, "committed_at"));
  ARROW_ASSIGN_OR_RAISE(out.operation, StringMember(doc, "operation"));
  ARROW_ASSIGN_OR_RAISE(out.rows, IntegerMember(doc, "rows", false));
  ARROW_ASSIGN_OR_RAISE(out.bytes, IntegerMember(doc, "bytes", false));
  ARROW_ASSIGN_OR_RAISE(out.parts, IntegerMember(doc, "parts", false));
  if (doc.contains("restored_from")) {
    ARROW_ASSIGN_OR_RAISE(out.restored_from, IntegerMember(doc, "restored_from", true));
  }
  return out;
}

arrow::Result<VersionInfo> VersionOf(const arrow::flight::FlightInfo& info) {
  if (info.app_metadata().empty()) {
    return arrow::Status::NotImplemented(
        "the server does not say which version it describes (a quiverd without "
        "versioned storage?)");
  }
  return ParseVersionInfo(info.app_metadata());
}

}  // namespace quiver::client
