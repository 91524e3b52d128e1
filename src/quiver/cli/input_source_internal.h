#pragma once

/// \file
/// Opening a local file (or stdin) as a stream of record batches with Arrow's own
/// readers: parquet::arrow, arrow::csv::StreamingReader, arrow::json::StreamingReader,
/// arrow::ipc. Nothing reads the whole file into memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/cli/file_format_internal.h"

namespace quiver::cli {

/// \brief An open input: its batches and what progress can be measured on it.
struct InputSource {
  std::shared_ptr<arrow::RecordBatchReader> reader;
  FileFormat format = FileFormat::kCsv;
  /// Bytes of the input consumed so far; set when total_bytes is known.
  std::function<int64_t()> bytes_read;
  /// Size of the input, or -1 (stdin, or progress counted in rows instead).
  int64_t total_bytes = -1;
  /// Rows in the input when its metadata says (Parquet, Arrow IPC file), or -1.
  int64_t total_rows = -1;
};

/// \brief Open `path` ("-" = stdin) for reading batch by batch.
///
/// The format is `format` if given, else the extension's, else the first bytes'
/// (CSV when nothing else matches). Parquet and Arrow IPC files need random access:
/// from stdin they are first copied to an unlinked temporary file (in $TMPDIR), never
/// into memory. CSV and JSON column types are inferred from the first block (1 MiB).
/// \return errors tagged ExitCode::kBadInput naming the path.
arrow::Result<InputSource> OpenInput(const std::string& path,
                                     std::optional<FileFormat> format);

}  // namespace quiver::cli
