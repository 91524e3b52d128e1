#include "quiver/store/model/manifest.h"

#include <cctype>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <arrow/buffer.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>
#include <arrow/type.h>
#include <arrow/util/base64.h>

#include "quiver/common/rfc3339.h"

namespace quiver::store {
namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "quiver-manifest";
constexpr int64_t kMaxVersion = int64_t{1} << 62;

constexpr std::pair<VersionOperation, std::string_view> kOperations[] = {
    {VersionOperation::kOverwrite, "overwrite"}, {VersionOperation::kAppend, "append"},
    {VersionOperation::kDrop, "drop"},           {VersionOperation::kRestore, "restore"},
    {VersionOperation::kCompact, "compact"},     {VersionOperation::kMigrate, "migrate"},
};

arrow::Status Bad(std::string_view what) {
  return arrow::Status::Invalid("invalid manifest: ", what);
}

/// Strict accessors: the key must be there with the right type.
arrow::Result<const json*> Field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return Bad(fmt::format("missing '{}'", key));
  return &*it;
}

arrow::Result<int64_t> Int(const json& object, const char* key, int64_t min,
                           int64_t max) {
  ARROW_ASSIGN_OR_RAISE(const json* value, Field(object, key));
  if (!value->is_number_integer()) return Bad(fmt::format("'{}' is not an integer", key));
  int64_t n = value->is_number_unsigned() && value->get<uint64_t>() > uint64_t(INT64_MAX)
                  ? INT64_MAX
                  : value->get<int64_t>();
  if (n < min || n > max) return Bad(fmt::format("'{}' is out of range", key));
  return n;
}

arrow::Result<std::string> Str(const json& object, const char* key) {
  ARROW_ASSIGN_OR_RAISE(const json* value, Field(object, key));
  if (!value->is_string()) return Bad(fmt::format("'{}' is not a string", key));
  return value->get<std::string>();
}

bool ValidPartFile(std::string_view file) {
  if (file.empty() || file.size() > 255 || file.front() == '.') return false;
  for (char c : file) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

arrow::Result<std::string> EncodeSchema(const arrow::Schema& schema) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(schema));
  return arrow::util::base64_encode(std::string_view(*buffer));
}

arrow::Result<std::shared_ptr<arrow::Schema>> DecodeSchema(std::string_view text) {
  auto bytes = arrow::util::base64_decode(text);
  if (!bytes.ok()) return Bad("'schema' is not base64");
  auto buffer = arrow::Buffer::FromString(std::move(*bytes));
  arrow::io::BufferReader reader(buffer);
  arrow::ipc::DictionaryMemo memo;
  auto schema = arrow::ipc::ReadSchema(&reader, &memo);
  if (!schema.ok()) return Bad("'schema' is not an Arrow IPC schema");
  return schema;
}

arrow::Result<ColumnStats> DecodeStats(const json& object) {
  if (!object.is_object()) return Bad("a column statistic is not an object");
  ColumnStats stats;
  ARROW_ASSIGN_OR_RAISE(stats.column, Str(object, "column"));
  ARROW_ASSIGN_OR_RAISE(stats.null_count, Int(object, "null_count", 0, INT64_MAX));
  if (object.contains("min")) {
    ARROW_ASSIGN_OR_RAISE(stats.min, Str(object, "min"));
  }
  if (object.contains("max")) {
    ARROW_ASSIGN_OR_RAISE(stats.max, Str(object, "max"));
  }
  return stats;
}

arrow::Result<PartInfo> DecodePart(const json& object) {
  if (!object.is_object()) return Bad("a part is not an object");
  PartInfo part;
  ARROW_ASSIGN_OR_RAISE(part.file, Str(object, "file"));
  if (!ValidPartFile(part.file)) return Bad("a part has an invalid file name");
  ARROW_ASSIGN_OR_RAISE(part.num_rows, Int(object, "rows", 0, INT64_MAX));
  ARROW_ASSIGN_OR_RAISE(part.bytes, Int(object, "bytes", 0, INT64_MAX));
  ARROW_ASSIGN_OR_RAISE(part.row_groups, Int(object, "row_groups", 0, INT32_MAX));
  if (object.contains("stats")) {
    const json& stats = object["stats"];
    if (!stats.is_array()) return Bad("'stats' is not an array");
    for (const auto& entry : stats) {
      ARROW_ASSIGN_OR_RAISE(auto column, DecodeStats(entry));
      part.stats.push_back(std::move(column));
    }
  }
  return part;
}

}  // namespace

std::string_view VersionOperationName(VersionOperation operation) {
  for (const auto& [op, name] : kOperations) {
    if (op == operation) return name;
  }
  return "unknown";
}

arrow::Result<VersionOperation> ParseVersionOperation(std::string_view name) {
  for (const auto& [op, op_name] : kOperations) {
    if (op_name == name) return op;
  }
  return Bad("unknown operation");
}

int64_t Manifest::num_rows() const {
  int64_t rows = 0;
  for (const auto& part : parts) rows += part.num_rows;
  return rows;
}

int64_t Manifest::stored_bytes() const {
  int64_t bytes = 0;
  for (const auto& part : parts) bytes += part.bytes;
  return bytes;
}

arrow::Result<std::string> EncodeManifest(const Manifest& manifest) {
  if (!manifest.schema) return arrow::Status::Invalid("manifest without a schema");
  json parts = json::array();
  for (const auto& part : manifest.parts) {
    json stats = json::array();
    for (const auto& column : part.stats) {
      json entry = {{"column", column.column}, {"null_count", column.null_count}};
      if (column.min) entry["min"] = *column.min;
      if (column.max) entry["max"] = *column.max;
      stats.push_back(std::move(entry));
    }
    parts.push_back({{"file", part.file},
                     {"rows", part.num_rows},
                     {"bytes", part.bytes},
                     {"row_groups", part.row_groups},
                     {"stats", std::move(stats)}});
  }
  ARROW_ASSIGN_OR_RAISE(auto schema, EncodeSchema(*manifest.schema));
  json doc = {{"format", kFormatName},
              {"format_version", kManifestFormatVersion},
              {"dataset", manifest.dataset},
              {"version", manifest.version},
              {"committed_at", FormatRfc3339Utc(manifest.committed_at_us)},
              {"committed_at_us", manifest.committed_at_us},
              {"operation", VersionOperationName(manifest.operation)},
              {"rows", manifest.num_rows()},
              {"bytes", manifest.stored_bytes()},
              {"schema", std::move(schema)},
              {"parts", std::move(parts)}};
  if (manifest.restored_from) doc["restored_from"] = *manifest.restored_from;
  // Invalid UTF-8 cannot reach here (names are validated); replace, never throw.
  return doc.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

arrow::Result<Manifest> DecodeManifest(std::string_view text) {
  if (text.size() > kMaxManifestBytes) return Bad("too large");
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Bad("not JSON (truncated or corrupt)");
  if (!doc.is_object()) return Bad("not a JSON object");
  ARROW_ASSIGN_OR_RAISE(auto format, Str(doc, "format"));
  if (format != kFormatName) return Bad("not a quiver manifest");
  ARROW_ASSIGN_OR_RAISE(auto format_version, Int(doc, "format_version", 1, INT32_MAX));
  if (format_version > kManifestFormatVersion) {
    return arrow::Status::Invalid("manifest format version ", format_version,
                                  " is newer than this quiverd understands (",
                                  kManifestFormatVersion, "); upgrade quiverd");
  }
  Manifest manifest;
  ARROW_ASSIGN_OR_RAISE(manifest.dataset, Str(doc, "dataset"));
  ARROW_ASSIGN_OR_RAISE(manifest.version, Int(doc, "version", 1, kMaxVersion));
  ARROW_ASSIGN_OR_RAISE(manifest.committed_at_us,
                        Int(doc, "committed_at_us", 0, INT64_MAX));
  ARROW_ASSIGN_OR_RAISE(auto operation, Str(doc, "operation"));
  ARROW_ASSIGN_OR_RAISE(manifest.operation, ParseVersionOperation(operation));
  ARROW_ASSIGN_OR_RAISE(auto schema, Str(doc, "schema"));
  ARROW_ASSIGN_OR_RAISE(manifest.schema, DecodeSchema(schema));
  ARROW_ASSIGN_OR_RAISE(const json* parts, Field(doc, "parts"));
  if (!parts->is_array()) return Bad("'parts' is not an array");
  if (parts->size() > kMaxManifestParts) return Bad("too many parts");
  for (const auto& entry : *parts) {
    ARROW_ASSIGN_OR_RAISE(auto part, DecodePart(entry));
    manifest.parts.push_back(std::move(part));
  }
  if (doc.contains("restored_from")) {
    ARROW_ASSIGN_OR_RAISE(manifest.restored_from,
                          Int(doc, "restored_from", 1, kMaxVersion));
  }
  if (manifest.dropped() && !manifest.parts.empty()) return Bad("a drop has parts");
  // The totals are redundant; a mismatch means the document was tampered with.
  ARROW_ASSIGN_OR_RAISE(auto rows, Int(doc, "rows", 0, INT64_MAX));
  int64_t sum = 0;
  for (const auto& part : manifest.parts) {
    if (__builtin_add_overflow(sum, part.num_rows, &sum)) return Bad("row count overflow");
  }
  if (sum != rows) return Bad("'rows' does not match its parts");
  return manifest;
}

}  // namespace quiver::store
