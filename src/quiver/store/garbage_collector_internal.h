#pragma once

#include <memory>
#include <string>
#include <vector>

#include "quiver/store/background_loop_internal.h"
#include "quiver/store/dataset_store.h"
#include "quiver/store/model/manifest.h"

namespace quiver::store {

class DatasetStoreImpl;

/// \brief Retention: deletes the versions the retention rules no longer keep (never a
/// pinned one), the parts no kept version references, and datasets dropped long
/// enough ago; on shared roots also the orphaned parts of interrupted uploads.
///
/// Deletions are throttled (MaintenanceOptions::gc_deletes_per_second). Manifests go
/// first, oldest first, so that no manifest ever names a missing part. Thread-safe
/// with the store's other operations; passes may run on any thread.
class GarbageCollector {
 public:
  /// \param store must outlive the collector.
  explicit GarbageCollector(DatasetStoreImpl& store);
  ~GarbageCollector();

  /// \brief Run a pass every MaintenanceOptions::gc_interval on a thread of its own,
  /// until destruction.
  void StartLoop();

  /// \brief One pass over every dataset now (stops early when the store stops).
  GcReport CollectAll();

 private:
  void Collect(const DatasetName& name, GcReport* report);
  /// Shared roots: delete the parts of `name` no manifest in `manifests` references,
  /// old enough not to belong to a commit in progress on another node.
  void CollectOrphans(const DatasetName& name, const std::vector<Manifest>& manifests,
                      GcReport* report);
  /// Remove the directories of a dataset whose last manifest is gone, and its empty
  /// ancestors.
  void RemoveDirectories(const DatasetName& name);
  void DeleteManifest(const DatasetName& name, int64_t version, GcReport* report);
  void DeletePart(const std::string& path, int64_t bytes, GcReport* report);
  /// Count a failed deletion unless the file is gone anyway, then wait out the rate.
  void Settle(const arrow::Status& deleted, const std::string& what, GcReport* report);

  DatasetStoreImpl& store_;
  std::unique_ptr<BackgroundLoop> loop_;
};

}  // namespace quiver::store
