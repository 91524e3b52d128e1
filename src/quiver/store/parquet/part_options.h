#pragma once

#include <cstdint>
#include <string>

#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

namespace quiver::store {

/// \brief How uploads are written to Parquet.
struct WriteOptions {
  /// Codec of every column chunk.
  arrow::Compression::type compression;
  /// A row group is closed when it holds this many rows (a batch is cut at the bound;
  /// must be positive)...
  int64_t row_group_max_rows = 128 * 1024;
  /// ...or this many bytes of Arrow data, whichever comes first. This bounds the memory
  /// an upload holds (the writer buffers one encoded row group).
  int64_t row_group_target_bytes = 64 << 20;
  /// A column chunk's dictionary grows to at most this many bytes, then the chunk goes
  /// on plain-encoded. Scaled to the row bound (Arrow's 1 MiB default suits 2^20-row
  /// row groups): with 128 Ki rows and 1 MiB, columns of distinct int64 or double values
  /// stayed dictionary-encoded whole, doubling the encoding CPU and growing the file by a
  /// sixth for nothing.
  int64_t dictionary_page_limit_bytes = 128 << 10;
  /// Run RecordBatch::ValidateFull() on every incoming batch (untrusted input).
  bool validate_batches = true;
  /// Batches queued for Parquet encoding on the upload's own thread, which overlaps
  /// encoding with receiving and validating (0: encode on the caller's thread).
  int pipeline_batches = 4;
  /// Encode the columns of a row group in parallel on Arrow's CPU thread pool. Off by
  /// default: on a 2-core machine it made 1 GiB uploads slower (12.5 s vs 9.1 s) and
  /// raised the writer's peak memory (109 vs 84 MiB).
  bool use_threads = false;

  static WriteOptions Defaults();
};

/// \brief How datasets are read back.
struct ReadOptions {
  /// Rows per record batch handed to readers.
  int64_t batch_size = 64 * 1024;
  /// Decode the columns of a batch on Arrow's CPU thread pool.
  bool use_threads = true;
  /// Batches decoded ahead of the consumer on a background thread (0: none). Memory
  /// grows by this many batches per open reader.
  int readahead_batches = 2;
  /// Parsed Parquet footers kept in memory, in bytes of their serialized size (0:
  /// none): opening a part again then reads no footer.
  int64_t footer_cache_bytes = int64_t{64} << 20;

  static ReadOptions Defaults();
};

}  // namespace quiver::store
