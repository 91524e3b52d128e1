#include "quiver/store/model/manifest.h"

#include <cctype>
#include <ctime>

#include <nlohmann/json.hpp>

#include <arrow/type.h>

#include "quiver/common/rfc3339.h"
#include "quiver/common/schema_text.h"
#include "quiver/common/strict_json.h"

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

/// A reader's error as a manifest's.
template <typename T>
arrow::Result<T> Checked(arrow::Result<T> read) {
  if (!read.ok()) return Bad(read.status().message());
  return read;
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

arrow::Result<std::shared_ptr<arrow::Schema>> DecodeSchema(std::string_view text) {
  auto schema = DecodeSchemaText(text);
  if (!schema.ok()) return Bad("'schema' is " + schema.status().message());
  return schema;
}

arrow::Result<ColumnStats> DecodeStats(const StrictJson& object) {
  ColumnStats stats;
  ARROW_ASSIGN_OR_RAISE(stats.column, Checked(object.RequiredString("column")));
  ARROW_ASSIGN_OR_RAISE(stats.null_count,
                        Checked(object.RequiredInteger("null_count", 0, INT64_MAX)));
  ARROW_ASSIGN_OR_RAISE(stats.min, Checked(object.String("min")));
  ARROW_ASSIGN_OR_RAISE(stats.max, Checked(object.String("max")));
  return stats;
}

arrow::Result<PartInfo> DecodePart(const StrictJson& object) {
  PartInfo part;
  ARROW_ASSIGN_OR_RAISE(part.file, Checked(object.RequiredString("file")));
  if (!ValidPartFile(part.file)) return Bad("a part has an invalid file name");
  ARROW_ASSIGN_OR_RAISE(part.num_rows,
                        Checked(object.RequiredInteger("rows", 0, INT64_MAX)));
  ARROW_ASSIGN_OR_RAISE(part.bytes,
                        Checked(object.RequiredInteger("bytes", 0, INT64_MAX)));
  ARROW_ASSIGN_OR_RAISE(part.row_groups,
                        Checked(object.RequiredInteger("row_groups", 0, INT32_MAX)));
  ARROW_ASSIGN_OR_RAISE(auto stats, Checked(object.ObjectList("stats", kMaxManifestParts,
                                                              "a column statistic")));
  for (const auto& entry : stats.value_or(std::vector<StrictJson>{})) {
    ARROW_ASSIGN_OR_RAISE(auto column, DecodeStats(entry));
    part.stats.push_back(std::move(column));
  }
  return part;
}

arrow::Result<Manifest> DecodeDocument(const StrictJson& doc) {
  ARROW_ASSIGN_OR_RAISE(auto format, Checked(doc.RequiredString("format")));
  if (format != kFormatName) return Bad("not a quiver manifest");
  ARROW_ASSIGN_OR_RAISE(auto format_version,
                        Checked(doc.RequiredInteger("format_version", 1, INT32_MAX)));
  if (format_version > kManifestFormatVersion) {
    return arrow::Status::Invalid("manifest format version ", format_version,
                                  " is newer than this quiverd understands (",
                                  kManifestFormatVersion, "); upgrade quiverd");
  }
  Manifest manifest;
  ARROW_ASSIGN_OR_RAISE(manifest.dataset, Checked(doc.RequiredString("dataset")));
  ARROW_ASSIGN_OR_RAISE(manifest.version,
                        Checked(doc.RequiredInteger("version", 1, kMaxVersion)));
  ARROW_ASSIGN_OR_RAISE(manifest.committed_at_us,
                        Checked(doc.RequiredInteger("committed_at_us", 0, INT64_MAX)));
  ARROW_ASSIGN_OR_RAISE(auto operation, Checked(doc.RequiredString("operation")));
  ARROW_ASSIGN_OR_RAISE(manifest.operation, ParseVersionOperation(operation));
  ARROW_ASSIGN_OR_RAISE(auto schema, Checked(doc.RequiredString("schema")));
  ARROW_ASSIGN_OR_RAISE(manifest.schema, DecodeSchema(schema));
  ARROW_ASSIGN_OR_RAISE(auto parts,
                        Checked(doc.ObjectList("parts", kMaxManifestParts, "a part")));
  if (!parts) return Bad("missing 'parts'");
  for (const auto& entry : *parts) {
    ARROW_ASSIGN_OR_RAISE(auto part, DecodePart(entry));
    manifest.parts.push_back(std::move(part));
  }
  ARROW_ASSIGN_OR_RAISE(manifest.restored_from,
                        Checked(doc.Integer("restored_from", 1, kMaxVersion)));
  if (manifest.dropped() && !manifest.parts.empty()) return Bad("a drop has parts");
  // The totals are redundant; a mismatch means the document was tampered with.
  ARROW_ASSIGN_OR_RAISE(auto rows, Checked(doc.RequiredInteger("rows", 0, INT64_MAX)));
  int64_t sum = 0;
  for (const auto& part : manifest.parts) {
    if (__builtin_add_overflow(sum, part.num_rows, &sum))
      return Bad("row count overflow");
  }
  if (sum != rows) return Bad("'rows' does not match its parts");
  return manifest;
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
  ARROW_ASSIGN_OR_RAISE(auto schema, EncodeSchemaText(*manifest.schema));
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
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Bad("not JSON (truncated or corrupt)");
  if (!doc.is_object()) return Bad("not a JSON object");
  ARROW_ASSIGN_OR_RAISE(auto reader, Checked(StrictJson::Of(doc, "the manifest")));
  return DecodeDocument(reader);
}

}  // namespace quiver::store
