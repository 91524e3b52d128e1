#pragma once

/// \file
/// Writing record batches to a local file or stdout in one of the CLI's formats,
/// batch by batch, with Arrow's writers (parquet::arrow::FileWriter,
/// arrow::csv::MakeCSVWriter, arrow::ipc::MakeFileWriter) and JsonLinesWriter.

#include <memory>

#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/cli/file_format_internal.h"

namespace quiver::cli {

/// \brief Writes batches of one schema to an output stream. Not thread-safe.
class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  /// \brief Append a batch; it must have the schema the writer was made with.
  virtual arrow::Status Write(const arrow::RecordBatch& batch) = 0;
  /// \brief Write what the format needs at the end (Parquet and IPC footers). Does
  /// not close the output stream. Call exactly once, after the last Write.
  virtual arrow::Status Close() = 0;
};

/// \brief A writer of `format` onto `sink` for batches of `schema`.
///
/// Parquet: row groups of at most 256Ki rows (a row group is buffered until full),
/// zstd. CSV: a header line, RFC 4180 quoting. JSON: one object per line. Arrow: the
/// IPC file format (Feather v2).
arrow::Result<std::unique_ptr<BatchWriter>> MakeBatchWriter(
    FileFormat format, std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema);

}  // namespace quiver::cli
