#pragma once

/// \file
/// The storage layer of quiver: versioned datasets of immutable Parquet parts on an
/// arrow::fs::FileSystem (see docs/storage-format.md).
///
/// DatasetStore is the entry point. It knows nothing of Flight: the server maps RPCs
/// onto it. Errors use Arrow's codes: KeyError (unknown dataset or version), Invalid
/// (bad name, bad data, schema mismatch), AlreadyExists (name conflict), IOError
/// (storage failure; the message never contains a server path).

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/catalog.h"
#include "quiver/store/dataset_info.h"
#include "quiver/store/dataset_upload.h"
#include "quiver/store/layout.h"
#include "quiver/store/object_store_listener.h"
#include "quiver/store/read_spec.h"
#include "quiver/store/store_errors.h"
#include "quiver/store/store_options.h"
#include "quiver/store/version_log.h"
#include "quiver/store/version_pins.h"

namespace quiver::store {

/// \brief What one garbage collection pass did.
struct GcReport {
  int64_t versions_deleted = 0;
  int64_t parts_deleted = 0;
  int64_t bytes_deleted = 0;
  int64_t datasets_removed = 0;
  int64_t errors = 0;
};

/// \brief Cumulative counters of the store's background work (for metrics).
struct MaintenanceCounters {
  std::atomic<int64_t> gc_runs{0};
  std::atomic<int64_t> versions_deleted{0};
  std::atomic<int64_t> parts_deleted{0};
  std::atomic<int64_t> bytes_deleted{0};
  std::atomic<int64_t> gc_errors{0};
  std::atomic<int64_t> compactions{0};
  std::atomic<int64_t> compaction_errors{0};
};

/// \brief A directory of versioned datasets with an in-memory catalog of their
/// current versions.
///
/// All methods are thread-safe. Readers see committed versions only; a reader keeps
/// the version it opened (it is pinned against garbage collection) whatever happens
/// to the dataset meanwhile.
class DatasetStore : public std::enable_shared_from_this<DatasetStore> {
 public:
  /// \brief Open (creating if needed) the store at options.root: clean what
  /// interrupted writes left, migrate datasets of the one-file layout of earlier
  /// releases into version 1, and load the catalog from the current manifests.
  /// Starts the background maintenance thread if options.maintenance.background.
  static arrow::Result<std::shared_ptr<DatasetStore>> Make(StoreOptions options);

  ~DatasetStore();

  /// \brief Live datasets whose name starts with `prefix`, sorted by name.
  std::vector<DatasetInfo> List(std::string_view prefix = {}) const;

  /// \brief The current version of a live dataset. \return KeyError if none.
  arrow::Result<DatasetInfo> Get(const DatasetName& name) const;

  /// \brief A given version. \return KeyError if it does not exist (never did, or was
  /// removed by retention) or is a drop.
  arrow::Result<DatasetInfo> GetVersion(const DatasetName& name, int64_t version) const;

  /// \brief The version that was current at `micros` (since the epoch, UTC).
  /// \return KeyError if the dataset did not exist then (or that is past retention).
  arrow::Result<DatasetInfo> GetAsOf(const DatasetName& name, int64_t micros) const;

  /// \brief Every version still stored (drops included), ascending.
  /// \return KeyError if the dataset has no history.
  arrow::Result<std::vector<DatasetInfo>> ListVersions(const DatasetName& name) const;

  /// \brief A streaming reader over the current version.
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetName& name) const;

  /// \brief A streaming reader over `info`'s version (from Get, GetVersion...).
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info) const;

  /// \brief A selective reader over `info`'s version: columns, filter, limit and a
  /// row-group range (read_spec.h). \return Invalid if `spec` does not fit the version
  /// (unknown column, filter not boolean or not over its columns, range outside it).
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info, const ReadSpec& spec) const;

  /// \brief Start an upload that will overwrite or append to (or create) the dataset.
  /// \return AlreadyExists if the name conflicts with an existing dataset's place in
  /// the hierarchy (e.g. "a/b" when "a" is a dataset); Invalid if an append's schema
  /// differs from the dataset's (naming the first field that differs).
  arrow::Result<std::unique_ptr<DatasetUpload>> BeginUpload(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema,
      UploadMode mode = UploadMode::kOverwrite);

  /// \brief Drop a dataset: it leaves listings at once (a new version, the drop); its
  /// data goes by the retention rules. \return KeyError if there is none.
  arrow::Status Drop(const DatasetName& name);

  /// \brief Make an older version current again, as a new version.
  arrow::Result<DatasetInfo> Restore(const DatasetName& name, int64_t version);

  /// \brief Rewrite runs of small parts of the current version into larger ones, as
  /// a new version with the same rows in the same order. \return the current version
  /// unchanged when there is nothing to compact.
  arrow::Result<DatasetInfo> Compact(const DatasetName& name);

  /// \brief Apply retention to every dataset now. Also run by the background thread.
  GcReport CollectGarbage();

  /// \brief Whether the store's root is reachable (for readiness checks).
  arrow::Status CheckReachable() const;

  /// \brief Re-read the current version of every dataset from storage into the
  /// catalog (datasets other nodes committed, dropped or removed). Run in the
  /// background every MaintenanceOptions::catalog_refresh on shared roots.
  arrow::Status RefreshCatalog();

  /// \brief Report every object-store request to `listener` from now on.
  /// \return false (and do nothing) when the root is not metered (local roots).
  bool SetObjectStoreListener(std::shared_ptr<ObjectStoreListener> listener);

  size_t dataset_count() const { return catalog_.size(); }
  int64_t total_bytes() const { return catalog_.total_bytes(); }
  const StoreOptions& options() const { return options_; }
  const MaintenanceCounters& counters() const { return counters_; }
  /// Row groups read and skipped by all reads since start.
  const ReadCounters& read_counters() const { return *read_counters_; }
  /// The decoded-part cache; nullptr without StoreOptions::part_cache.
  const PartCache* part_cache() const { return part_cache_.get(); }

 private:
  friend class DatasetUpload;
  explicit DatasetStore(StoreOptions options);

  using NextManifest = std::function<arrow::Result<Manifest>(const Manifest* head)>;
  /// Commit a new version made by `next` on top of the current one, retrying on top
  /// of a newer head when another writer commits first.
  arrow::Result<DatasetInfo> CommitNext(const DatasetName& name,
                                        const NextManifest& next);
  arrow::Result<DatasetInfo> CommitUpload(const DatasetUpload& upload, PartInfo part);
  arrow::Result<std::unique_ptr<PartWriter>> NewPart(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema);
  void EndUpload(const DatasetName& name, const std::string& part_path);
  void DeletePart(const DatasetName& name, const std::string& path) const;
  /// Reads `parts` of `manifest` in order, from the part cache where it holds them;
  /// `fill_cache`: parts read from Parquet are also written to the cache.
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParts(
      const DatasetName& name, std::shared_ptr<const Manifest> manifest,
      const std::vector<PartInfo>& parts, std::shared_ptr<void> keep_alive,
      bool fill_cache) const;

  arrow::Status Load();
  /// The catalog entry of `name` (dropped or not), checked against storage on shared
  /// roots: read from storage when missing, re-read when a newer manifest exists.
  arrow::Result<std::optional<DatasetInfo>> LookUp(const DatasetName& name) const;
  void RefreshLoop();
  /// Shared roots: delete the parts of `name` no manifest in `manifests` references,
  /// old enough not to belong to a commit in progress on another node.
  void CollectOrphans(const DatasetName& name, const std::vector<Manifest>& manifests,
                      GcReport* report);
  arrow::Status MigrateLegacy(const DatasetName& name, const std::string& path);
  arrow::Status FinishMigration(const DatasetName& name);
  /// GC of one dataset.
  void Collect(const DatasetName& name, GcReport* report);
  void DeleteThrottled(const std::string& path, GcReport* report, bool is_part,
                       int64_t bytes);
  void EnqueueCompaction(const DatasetName& name);
  void MaintenanceLoop();
  std::mutex& DatasetMutex(const DatasetName& name) const;

  StoreOptions options_;
  Layout layout_;
  VersionLog log_;
  /// Mutable: look-ups on shared roots refresh it from storage.
  mutable Catalog catalog_;
  std::shared_ptr<VersionPins> pins_ = std::make_shared<VersionPins>();
  MaintenanceCounters counters_;
  std::shared_ptr<ReadCounters> read_counters_ = std::make_shared<ReadCounters>();
  std::shared_ptr<PartCache> part_cache_;

  /// Per-dataset (striped) locks serialising, on this node, a dataset's removal by GC
  /// with the start of uploads into it.
  mutable std::array<std::mutex, 64> dataset_mutexes_;
  /// Parts being written on this node (never collected).
  mutable std::mutex uploads_mutex_;
  std::multiset<std::string> uploads_;

  std::mutex maintenance_mutex_;
  std::condition_variable maintenance_cv_;
  std::deque<DatasetName> compaction_queue_;
  /// Set at destruction: background work stops at its next step.
  std::atomic<bool> stopping_{false};
  std::thread maintenance_thread_;
  std::thread refresh_thread_;
};

}  // namespace quiver::store
