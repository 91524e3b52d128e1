// DatasetStoreImpl on a root shared with other nodes (an object store): look-ups
// checked against storage, and the object-store listener. (The background refresh is
// CatalogRefresher's; orphaned parts are GarbageCollector's.)
#include <chrono>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/fs/metered_filesystem.h"
#include "quiver/store/model/store_errors.h"

namespace quiver::store {

bool DatasetStoreImpl::SetObjectStoreListener(
    std::shared_ptr<ObjectStoreListener> listener) {
  if (options_.metered == nullptr) return false;
  options_.metered->SetListener(std::move(listener));
  return true;
}

arrow::Result<std::optional<DatasetInfo>> DatasetStoreImpl::LookUp(
    const DatasetName& name) const {
  auto head = catalog_.FindHead(name);
  if (!options_.shared) return head;
  if (head) {
    // One HEAD request: has another node committed since?
    auto next =
        options_.filesystem->GetFileInfo(layout_.ManifestPath(name, head->version + 1));
    if (!next.ok()) return StorageError(next.status(), "read", name);
    if (next->type() == arrow::fs::FileType::NotFound) return head;
  }
  auto newest = log_.ReadHead(name);
  if (!newest.ok()) {
    // Collected between the listing and the read: the dataset is gone.
    if (newest.status().IsKeyError()) return std::optional<DatasetInfo>();
    return StorageError(newest.status(), "read", name);
  }
  if (!newest->has_value()) return std::optional<DatasetInfo>();
  catalog_.Put(
      DatasetInfo::Of(name, std::make_shared<const Manifest>(std::move(**newest))));
  return catalog_.FindHead(name);
}

}  // namespace quiver::store
