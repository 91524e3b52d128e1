#pragma once

/// \file
/// The storage layer of quiver: versioned datasets of immutable Parquet parts on an
/// arrow::fs::FileSystem (see docs/storage-format.md).
///
/// DatasetStore is the entry point. It knows nothing of Flight: the server maps RPCs
/// onto it. Errors use Arrow's codes: KeyError (unknown dataset or version), Invalid
/// (bad name, bad data, schema mismatch), AlreadyExists (name conflict), IOError
/// (storage failure; the message never contains a server path).

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/cache/footer_cache.h"
#include "quiver/store/cache/part_cache.h"
#include "quiver/store/dataset_upload.h"
#include "quiver/store/fs/object_store_listener.h"
#include "quiver/store/model/dataset_info.h"
#include "quiver/store/model/read_spec.h"
#include "quiver/store/store_options.h"

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
/// to the dataset meanwhile. Readers and uploads may outlive the store object they
/// came from. An interface (the implementation is internal to the store): tests and
/// other engines may wrap it.
class DatasetStore {
 public:
  /// \brief Open (creating if needed) the store at options.root: clean what
  /// interrupted writes left, migrate datasets of the one-file layout of earlier
  /// releases into version 1, and load the catalog from the current manifests.
  /// Starts the background maintenance thread if options.maintenance.background.
  static arrow::Result<std::shared_ptr<DatasetStore>> Make(StoreOptions options);

  virtual ~DatasetStore() = default;

  /// \brief Live datasets whose name starts with `prefix`, sorted by name.
  virtual std::vector<DatasetInfo> List(std::string_view prefix = {}) const = 0;

  /// \brief The current version of a live dataset. \return KeyError if none.
  virtual arrow::Result<DatasetInfo> Get(const DatasetName& name) const = 0;

  /// \brief A given version. \return KeyError if it does not exist (never did, or was
  /// removed by retention) or is a drop.
  virtual arrow::Result<DatasetInfo> GetVersion(const DatasetName& name,
                                                int64_t version) const = 0;

  /// \brief The version that was current at `micros` (since the epoch, UTC).
  /// \return KeyError if the dataset did not exist then (or that is past retention).
  virtual arrow::Result<DatasetInfo> GetAsOf(const DatasetName& name,
                                             int64_t micros) const = 0;

  /// \brief Every version still stored (drops included), ascending.
  /// \return KeyError if the dataset has no history.
  virtual arrow::Result<std::vector<DatasetInfo>> ListVersions(
      const DatasetName& name) const = 0;

  /// \brief A streaming reader over the current version.
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetName& name) const = 0;

  /// \brief A streaming reader over `info`'s version (from Get, GetVersion...).
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info) const = 0;

  /// \brief A selective reader over `info`'s version: columns, filter, limit and a
  /// row-group range (read_spec.h). \return Invalid if `spec` does not fit the version
  /// (unknown column, filter not boolean or not over its columns, range outside it).
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info, const ReadSpec& spec) const = 0;

  /// \brief Start an upload that will overwrite or append to (or create) the dataset.
  /// \return AlreadyExists if the name conflicts with an existing dataset's place in
  /// the hierarchy (e.g. "a/b" when "a" is a dataset); Invalid if an append's schema
  /// differs from the dataset's (naming the first field that differs).
  virtual arrow::Result<std::unique_ptr<DatasetUpload>> BeginUpload(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema,
      UploadMode mode = UploadMode::kOverwrite) = 0;

  /// \brief Drop a dataset: it leaves listings at once (a new version, the drop); its
  /// data goes by the retention rules. \return KeyError if there is none.
  virtual arrow::Status Drop(const DatasetName& name) = 0;

  /// \brief Make an older version current again, as a new version.
  virtual arrow::Result<DatasetInfo> Restore(const DatasetName& name,
                                             int64_t version) = 0;

  /// \brief Rewrite runs of small parts of the current version into larger ones, as
  /// a new version with the same rows in the same order. \return the current version
  /// unchanged when there is nothing to compact.
  virtual arrow::Result<DatasetInfo> Compact(const DatasetName& name) = 0;

  /// \brief Apply retention to every dataset now. Also run by the background thread.
  virtual GcReport CollectGarbage() = 0;

  /// \brief Whether the store's root is reachable (for readiness checks).
  virtual arrow::Status CheckReachable() const = 0;

  /// \brief Re-read the current version of every dataset from storage into the
  /// catalog (datasets other nodes committed, dropped or removed). Run in the
  /// background every MaintenanceOptions::catalog_refresh on shared roots.
  virtual arrow::Status RefreshCatalog() = 0;

  /// \brief Report every object-store request to `listener` from now on.
  /// \return false (and do nothing) when the root is not metered (local roots).
  virtual bool SetObjectStoreListener(std::shared_ptr<ObjectStoreListener> listener) = 0;

  virtual size_t dataset_count() const = 0;
  virtual int64_t total_bytes() const = 0;
  virtual const StoreOptions& options() const = 0;
  virtual const MaintenanceCounters& counters() const = 0;
  /// Row groups read and skipped by all reads since start.
  virtual const ReadCounters& read_counters() const = 0;
  /// The decoded-part cache; nullptr without StoreOptions::part_cache.
  virtual const PartCache* part_cache() const = 0;
  /// The footer cache; nullptr when ReadOptions::footer_cache_bytes is 0.
  virtual const FooterCache* footer_cache() const = 0;
};

}  // namespace quiver::store
