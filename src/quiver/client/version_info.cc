#include "quiver/client/version_info.h"

#include <limits>

#include "quiver/common/strict_json.h"

namespace quiver::client {
namespace {

arrow::Status Malformed(const arrow::Status& why) {
  return arrow::Status::IOError("the server sent an invalid version description: ",
                                why.message());
}

/// ParseVersionInfo with the reader's errors.
arrow::Result<VersionInfo> Read(std::string_view json) {
  constexpr int64_t kAny = std::numeric_limits<int64_t>::max();
  ARROW_ASSIGN_OR_RAISE(auto doc, StrictJson::Parse(json, "the description", {}));
  VersionInfo out;
  ARROW_ASSIGN_OR_RAISE(out.dataset, doc.RequiredString("dataset"));
  ARROW_ASSIGN_OR_RAISE(out.version, doc.RequiredInteger("version", 1, kAny));
  ARROW_ASSIGN_OR_RAISE(out.committed_at, doc.RequiredString("committed_at"));
  ARROW_ASSIGN_OR_RAISE(out.operation, doc.RequiredString("operation"));
  ARROW_ASSIGN_OR_RAISE(auto rows, doc.Integer("rows", -kAny - 1, kAny));
  ARROW_ASSIGN_OR_RAISE(auto bytes, doc.Integer("bytes", -kAny - 1, kAny));
  ARROW_ASSIGN_OR_RAISE(auto parts, doc.Integer("parts", -kAny - 1, kAny));
  out.rows = rows.value_or(0);
  out.bytes = bytes.value_or(0);
  out.parts = parts.value_or(0);
  ARROW_ASSIGN_OR_RAISE(out.restored_from, doc.Integer("restored_from", -kAny - 1, kAny));
  return out;
}

}  // namespace

arrow::Result<VersionInfo> ParseVersionInfo(std::string_view json) {
  auto info = Read(json);
  if (!info.ok()) return Malformed(info.status());
  return info;
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
