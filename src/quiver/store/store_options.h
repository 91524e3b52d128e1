#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

#include "quiver/store/cache/part_cache.h"
#include "quiver/store/model/retention.h"
#include "quiver/store/parquet/part_options.h"

namespace quiver::store {

class ExclusiveCreator;
class MeteredFileSystem;

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
  /// The metering wrapper `filesystem` is (MakeStoreOptionsForRoot sets both for
  /// object-store roots), through which DatasetStore::SetObjectStoreListener reports
  /// requests; nullptr: not metered.
  std::shared_ptr<MeteredFileSystem> metered;
  /// Keep decoded parts in a local cache (part_cache.h); unset: no cache.
  std::optional<PartCacheOptions> part_cache;

  static StoreOptions Defaults();
};

/// \brief Options for a store in a local directory (relative paths are made absolute).
arrow::Result<StoreOptions> MakeLocalStoreOptions(const std::string& directory);

}  // namespace quiver::store
