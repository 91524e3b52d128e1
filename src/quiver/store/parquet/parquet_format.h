#pragma once

#include <memory>

#include <arrow/io/type_fwd.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/cache/footer_cache.h"
#include "quiver/store/parquet/part_options.h"

namespace parquet::arrow {
class FileReader;
class FileWriter;
}  // namespace parquet::arrow

namespace quiver::store {

/// \brief Open a Parquet writer for `schema` on `sink` with the store's settings:
/// the configured codec, row groups of at most options.row_group_max_rows rows,
/// statistics and page indexes (column and offset indexes) on, and the Arrow schema
/// stored in the file so that every Arrow type (time zones, large types, dictionaries...)
/// reads back exactly. \return Invalid for a schema Parquet cannot store (no columns: it
/// would keep no rows; a type without a Parquet mapping), and only then; any other error
/// comes from the sink (opening writes the file's magic bytes).
arrow::Result<std::unique_ptr<parquet::arrow::FileWriter>> OpenParquetWriter(
    const std::shared_ptr<arrow::Schema>& schema,
    const std::shared_ptr<arrow::io::OutputStream>& sink, const WriteOptions& options);

/// \brief A streaming reader over a whole Parquet file, one row group at a time.
///
/// The reader owns the file handle: on POSIX filesystems it keeps reading the version
/// of the file it opened even if the path is later replaced or deleted. Memory is
/// bounded by about one row group.
/// `footer`: where the file's parsed footer is looked up first and left after.
arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParquetReader(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadOptions& options,
    const FooterSlot& footer = {});

/// \brief A Parquet file reader with the store's read settings (batch size, threads,
/// no pre-buffering), for readers that choose their own row groups and columns.
arrow::Result<std::unique_ptr<parquet::arrow::FileReader>> OpenParquetFileReader(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadOptions& options,
    const FooterSlot& footer = {});

/// \brief `reader`, with options.readahead_batches batches decoded ahead of the
/// consumer on a background thread (none: `reader` itself).
arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> WithReadahead(
    std::shared_ptr<arrow::RecordBatchReader> reader, const ReadOptions& options);

/// \brief What a Parquet footer says: the Arrow schema and the row count.
struct ParquetSummary {
  std::shared_ptr<arrow::Schema> schema;
  int64_t num_rows = 0;
  int64_t num_row_groups = 0;
};

/// \brief Read only the footer of a Parquet file.
arrow::Result<ParquetSummary> ReadParquetSummary(
    std::shared_ptr<arrow::io::RandomAccessFile> file);

}  // namespace quiver::store
