#include <algorithm>
#include <cctype>
#include <string>

#include <arrow/status.h>

#include "quiver/cli/file_format_internal.h"
#include "quiver/common/path_name.h"

namespace quiver::cli {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<FileFormat> FromName(std::string_view lowered) {
  if (lowered == "parquet" || lowered == "pq") return FileFormat::kParquet;
  if (lowered == "csv") return FileFormat::kCsv;
  if (lowered == "json" || lowered == "jsonl" || lowered == "ndjson") {
    return FileFormat::kJson;
  }
  if (lowered == "arrow" || lowered == "arrows" || lowered == "ipc" ||
      lowered == "feather") {
    return FileFormat::kArrow;
  }
  return std::nullopt;
}

}  // namespace

std::string_view FormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kParquet:
      return "parquet";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kJson:
      return "json";
    case FileFormat::kArrow:
      return "arrow";
  }
  return "?";
}

arrow::Result<FileFormat> ParseFormatName(std::string_view name) {
  if (auto format = FromName(Lower(name))) return *format;
  return arrow::Status::Invalid("unknown format '", name,
                                "'; expected parquet, csv, json or arrow");
}

std::optional<FileFormat> FormatFromExtension(std::string_view path) {
  std::string_view file = BaseName(path);
  auto dot = file.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  return FromName(Lower(file.substr(dot + 1)));
}

std::optional<FileFormat> FormatFromMagic(std::string_view head) {
  if (head.starts_with("PAR1")) return FileFormat::kParquet;
  if (head.starts_with("ARROW1")) return FileFormat::kArrow;
  if (head.starts_with(std::string_view("\xff\xff\xff\xff", 4)))
    return FileFormat::kArrow;
  auto first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '{') return FileFormat::kJson;
  return std::nullopt;
}

std::string_view PathStem(std::string_view path) {
  std::string_view file = BaseName(path);
  auto dot = file.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return file;
  return file.substr(0, dot);
}

}  // namespace quiver::cli
