#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/store/catalog_internal.h"
#include "quiver/store/dataset_store.h"
#include "quiver/store/model/layout.h"
#include "quiver/store/model/manifest.h"
#include "quiver/store/parquet/part_writer.h"
#include "quiver/store/upload_registry_internal.h"
#include "quiver/store/version_log_internal.h"
#include "quiver/store/version_pins_internal.h"

namespace quiver::store {

class CatalogRefresher;
class Compactor;
class GarbageCollector;

/// \brief The DatasetStore: the commit protocol, the read paths and the catalog, with
/// its background work in classes of their own (GarbageCollector, Compactor,
/// CatalogRefresher, each owning its thread) and start-up migration in
/// LegacyMigrator.
///
/// The collaborators reach the store's state and its internal operations (CommitNext,
/// NewPart, OpenParts, ...) through this class; nothing outside the store sees it.
class DatasetStoreImpl final : public DatasetStore,
                               public std::enable_shared_from_this<DatasetStoreImpl> {
 public:
  static arrow::Result<std::shared_ptr<DatasetStoreImpl>> Make(StoreOptions options);
  ~DatasetStoreImpl() override;

  // DatasetStore
  std::vector<DatasetInfo> List(std::string_view prefix) const override;
  arrow::Result<DatasetInfo> Get(const DatasetName& name) const override;
  arrow::Result<DatasetInfo> GetVersion(const DatasetName& name,
                                        int64_t version) const override;
  arrow::Result<DatasetInfo> GetAsOf(const DatasetName& name,
                                     int64_t micros) const override;
  arrow::Result<std::vector<DatasetInfo>> ListVersions(
      const DatasetName& name) const override;
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetName& name) const override;
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info) const override;
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetInfo& info, const ReadSpec& spec) const override;
  arrow::Result<std::unique_ptr<DatasetUpload>> BeginUpload(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema,
      UploadMode mode) override;
  arrow::Status Drop(const DatasetName& name) override;
  arrow::Result<DatasetInfo> Restore(const DatasetName& name, int64_t version) override;
  arrow::Result<DatasetInfo> Compact(const DatasetName& name) override;
  GcReport CollectGarbage() override;
  arrow::Status CheckReachable() const override;
  arrow::Status RefreshCatalog() override;
  bool SetObjectStoreListener(std::shared_ptr<ObjectStoreListener> listener) override;
  size_t dataset_count() const override { return catalog_.size(); }
  int64_t total_bytes() const override { return catalog_.total_bytes(); }
  const StoreOptions& options() const override { return options_; }
  const MaintenanceCounters& counters() const override { return counters_; }
  const ReadCounters& read_counters() const override { return *read_counters_; }
  const PartCache* part_cache() const override { return part_cache_.get(); }
  const FooterCache* footer_cache() const override { return footer_cache_.get(); }

  // Internal operations, for DatasetUpload and the store's collaborators.

  using NextManifest = std::function<arrow::Result<Manifest>(const Manifest* head)>;
  /// Commit a new version made by `next` on top of the current one, retrying on top
  /// of a newer head when another writer commits first.
  arrow::Result<DatasetInfo> CommitNext(const DatasetName& name,
                                        const NextManifest& next);
  /// Commit an upload's finished part (DatasetUpload::Commit).
  arrow::Result<DatasetInfo> CommitUpload(const DatasetUpload& upload, PartInfo part);
  /// A new part of `name`, registered as being written until EndUpload.
  arrow::Result<std::unique_ptr<PartWriter>> NewPart(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema);
  void EndUpload(const std::string& part_path) { uploads_.Remove(part_path); }
  /// Delete a part that no version references (a warning when that fails).
  void DeletePart(const DatasetName& name, const std::string& path) const;
  /// Reads `parts` of `manifest` in order, from the part cache where it holds them;
  /// `fill_cache`: parts read from Parquet are also written to the cache.
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParts(
      const DatasetName& name, std::shared_ptr<const Manifest> manifest,
      const std::vector<PartInfo>& parts, std::shared_ptr<void> keep_alive,
      bool fill_cache) const;
  /// The catalog entry of `name` (dropped or not), checked against storage on shared
  /// roots: read from storage when missing, re-read when a newer manifest exists.
  arrow::Result<std::optional<DatasetInfo>> LookUp(const DatasetName& name) const;

  /// How a read's slices of parts are found and counted (dataset_store_read.cc).
  struct PartSlice;
  struct ReadTally;

  arrow::fs::FileSystem& filesystem() const { return *options_.filesystem; }
  const Layout& layout() const { return layout_; }
  const VersionLog& log() const { return log_; }
  Catalog& catalog() const { return catalog_; }
  VersionPins& pins() const { return *pins_; }
  UploadRegistry& uploads() const { return uploads_; }
  MaintenanceCounters& mutable_counters() { return counters_; }
  /// Set when the store is being destroyed: background work stops at its next step.
  bool stopping() const { return stopping_.load(); }

 private:
  explicit DatasetStoreImpl(StoreOptions options);

  /// The one read path: `slices` of `parts` (of `manifest`) read as `plan` says, part
  /// after part; `keep_alive` lives as long as the reader (a version pin).
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenSlices(
      const DatasetName& name, std::shared_ptr<const Manifest> manifest,
      std::vector<PartInfo> parts, std::vector<PartSlice> slices,
      std::shared_ptr<const ReadPlan> plan, std::shared_ptr<void> keep_alive,
      bool fill_cache, std::shared_ptr<ReadTally> tally) const;

  /// Start-up (dataset_store_load.cc): the phases of Load.
  struct RootScan;
  arrow::Status Load();
  arrow::Result<RootScan> ScanRoot();
  arrow::Result<size_t> MigrateLegacyDatasets(RootScan* scan);
  arrow::Result<size_t> LoadCatalog(const RootScan& scan, size_t* skipped);

  StoreOptions options_;
  Layout layout_;
  VersionLog log_;
  /// Mutable: look-ups on shared roots refresh it from storage.
  mutable Catalog catalog_;
  std::shared_ptr<VersionPins> pins_ = std::make_shared<VersionPins>();
  MaintenanceCounters counters_;
  std::shared_ptr<ReadCounters> read_counters_ = std::make_shared<ReadCounters>();
  std::shared_ptr<PartCache> part_cache_;
  std::shared_ptr<FooterCache> footer_cache_;
  mutable UploadRegistry uploads_;
  std::atomic<bool> stopping_{false};

  // Background work; stopped first at destruction.
  std::unique_ptr<GarbageCollector> gc_;
  std::unique_ptr<Compactor> compactor_;
  std::unique_ptr<CatalogRefresher> refresher_;
};

}  // namespace quiver::store
