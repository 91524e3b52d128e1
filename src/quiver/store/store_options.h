#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

#include "quiver/store/part_cache.h"
#include "quiver/store/retention.h"

namespace quiver::store {

class ExclusiveCreator;

/// \brief How uploads are written to Parquet.
struct WriteOptions {
  /// Codec of every column chunk.
  arrow::Compression::type compression;
  /// A row group is closed when it holds this many rows...
  int64_t row_group_max_rows = 1 << 20;
  /// ...or this many bytes of Arrow data, whichever comes first. This bounds the memory
  /// an upload holds (the writer buffers one encoded row group).
  int64_t row_group_target_bytes = 64 << 20;
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

/// \brief Background upkeep: garbage collection and compaction.
struct MaintenanceOptions {
  /// Run GC and automatic compaction on a background thread. When off, they run only
  /// when called (DatasetStore::CollectGarbage, Compact).
  bool background = true;
  /// How often the background thread collects garbage.
  std::chrono::seconds gc_interval = std::chrono::seconds(60);
  /// Compact a dataset automatically once its current version has more parts than
  /// this (0: never automatically).
  int64_t compact_min_parts = 32;
  /// Compaction merges runs of consecutive parts smaller than this...
  int64_t small_part_bytes = 32 << 20;
  /// ...into parts of at most about this many stored bytes.
  int64_t compact_target_bytes = 512 << 20;
  /// Upper bound on deletions per second made by GC (bounds its I/O).
  int64_t gc_deletes_per_second = 500;
  /// Shared roots (StoreOptions::shared): how often the catalog is re-read from
  /// storage in the background, so that datasets other nodes commit appear in List
  /// within this delay (0: never).
  std::chrono::milliseconds catalog_refresh = std::chrono::seconds(5);
  /// Shared roots: GC deletes a part no manifest references only once it is this old
  /// (another node may be about to commit it; a node killed mid-commit leaves it).
  /// Generous: S3 dates a multipart object from the start of its upload.
  std::chrono::seconds orphan_min_age = std::chrono::hours(24);

  static MaintenanceOptions Defaults() { return MaintenanceOptions{}; }
};

/// \brief Everything DatasetStore::Make needs.
struct StoreOptions {
  /// Where datasets live; all I/O goes through it. Required.
  std::shared_ptr<arrow::fs::FileSystem> filesystem;
  /// Directory of the store inside `filesystem`; created if missing.
  std::string root;
  WriteOptions write = WriteOptions::Defaults();
  ReadOptions read = ReadOptions::Defaults();
  RetentionOptions retention = RetentionOptions::Defaults();
  MaintenanceOptions maintenance = MaintenanceOptions::Defaults();
  /// Creates manifests exclusively; nullptr: the one for `filesystem`.
  std::shared_ptr<ExclusiveCreator> exclusive_creator;
  /// Other processes (quiverd nodes) may commit to this root at the same time, as on
  /// an object store: look-ups that miss or may be stale read storage, the catalog is
  /// refreshed in the background (MaintenanceOptions::catalog_refresh), and
  /// unreferenced parts are left alone until MaintenanceOptions::orphan_min_age.
  bool shared = false;
  /// Keep decoded parts in a local cache (part_cache.h); unset: no cache.
  std::optional<PartCacheOptions> part_cache;

  static StoreOptions Defaults();
};

/// \brief `directory` made absolute (against the working directory) and normal, with
/// no trailing '/'. \return Invalid if empty, IOError if it cannot be resolved.
arrow::Result<std::string> AbsoluteLocalPath(const std::string& directory);

/// \brief Options for a store in a local directory (relative paths are made absolute).
arrow::Result<StoreOptions> MakeLocalStoreOptions(const std::string& directory);

}  // namespace quiver::store
