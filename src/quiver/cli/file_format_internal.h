#pragma once

/// \file
/// The file formats the CLI reads and writes, and how a format is chosen: an explicit
/// --format, else the file's extension, else (for input) the first bytes.

#include <optional>
#include <string_view>

#include <arrow/result.h>

namespace quiver::cli {

/// \brief A tabular file format. kArrow is the Arrow IPC file format (Feather v2) when
/// written; when read, both the IPC file and the IPC stream format are accepted.
enum class FileFormat { kParquet, kCsv, kJson, kArrow };

/// \brief The canonical name: "parquet", "csv", "json", "arrow".
std::string_view FormatName(FileFormat format);

/// \brief Parse a --format value: parquet|pq, csv, json|jsonl|ndjson (JSON lines),
/// arrow|ipc|feather|arrows (case-insensitive).
/// \return Invalid listing the accepted names.
arrow::Result<FileFormat> ParseFormatName(std::string_view name);

/// \brief The format a path's extension names (.parquet .pq .csv .json .jsonl .ndjson
/// .arrow .arrows .ipc .feather, case-insensitive), or nullopt.
std::optional<FileFormat> FormatFromExtension(std::string_view path);

/// \brief The format the first bytes of a file reveal: "PAR1" Parquet, "ARROW1" Arrow
/// IPC file, 0xFFFFFFFF Arrow IPC stream, '{' (after blanks) JSON lines; nullopt when
/// nothing matches (CSV has no signature).
std::optional<FileFormat> FormatFromMagic(std::string_view head);

/// \brief The stem of a path, the default dataset name: "dir/sales.csv" -> "sales".
std::string_view PathStem(std::string_view path);

}  // namespace quiver::cli
