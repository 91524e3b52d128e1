// DatasetStore on a root shared with other nodes (an object store): look-ups checked
// against storage, the background catalog refresh, and clean-up of parts that
// interrupted uploads of any node left.
#include <chrono>
#include <map>
#include <set>

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/metered_filesystem.h"

namespace quiver::store {

bool DatasetStore::SetObjectStoreListener(std::shared_ptr<ObjectStoreListener> listener) {
  auto* metered = dynamic_cast<MeteredFileSystem*>(options_.filesystem.get());
  if (metered == nullptr) return false;
  metered->SetListener(std::move(listener));
  return true;
}

arrow::Result<std::optional<DatasetInfo>> DatasetStore::LookUp(
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

arrow::Status DatasetStore::RefreshCatalog() {
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.root();
  selector.recursive = true;
  selector.allow_not_found = true;
  auto entries = options_.filesystem->GetFileInfo(selector);
  if (!entries.ok()) {
    return arrow::Status::IOError("catalog refresh: cannot list the store (",
                                  entries.status().message(), ")");
  }
  std::map<std::string, int64_t> newest;  // dataset -> highest manifest version
  for (const auto& entry : *entries) {
    if (!entry.IsFile()) continue;
    auto kind = layout_.Classify(entry.path());
    if (kind.kind != Layout::Kind::kManifest) continue;
    auto& version = newest[kind.name];
    version = std::max(version, kind.version);
  }
  size_t updated = 0, failed = 0;
  for (const auto& [text, version] : newest) {
    auto name = DatasetName::Parse(text);
    if (!name.ok()) continue;
    auto head = catalog_.FindHead(*name);
    if (head && head->version >= version) continue;
    auto manifest = log_.Read(*name, version);
    if (!manifest.ok()) {
      if (!manifest.status().IsKeyError()) ++failed;  // KeyError: collected meanwhile
      continue;
    }
    if (catalog_.Put(DatasetInfo::Of(
            *name, std::make_shared<const Manifest>(std::move(*manifest))))) {
      ++updated;
    }
  }
  // Dropped datasets another node's GC removed entirely.
  for (const auto& name : catalog_.Names()) {
    if (newest.count(name.ToString())) continue;
    auto head = catalog_.FindHead(name);
    if (head && head->dropped()) catalog_.Erase(name);
  }
  if (updated > 0) spdlog::debug("catalog refresh: {} datasets updated", updated);
  if (failed > 0) {
    return arrow::Status::IOError("catalog refresh: ", failed,
                                  " manifests could not be read");
  }
  return arrow::Status::OK();
}

void DatasetStore::RefreshLoop() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  const auto interval = options_.maintenance.catalog_refresh;
  bool failing = false;
  std::unique_lock lock(maintenance_mutex_);
  while (!stopping_) {
    maintenance_cv_.wait_for(lock, interval, [&] { return stopping_.load(); });
    if (stopping_) break;
    lock.unlock();
    auto st = RefreshCatalog();
    // One line when refreshes start failing and one when they recover, not one per
    // interval while the store is down.
    if (!st.ok() && !failing) spdlog::warn("{}", st.message());
    if (st.ok() && failing) spdlog::info("catalog refresh: the store answers again");
    failing = !st.ok();
    lock.lock();
  }
}

void DatasetStore::CollectOrphans(const DatasetName& name,
                                  const std::vector<Manifest>& manifests,
                                  GcReport* report) {
  if (!options_.shared) return;
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.PartsDir(name);
  selector.allow_not_found = true;
  auto entries = options_.filesystem->GetFileInfo(selector);
  if (!entries.ok()) {
    ++report->errors;
    return;
  }
  std::set<std::string> referenced;
  for (const auto& manifest : manifests) {
    for (const auto& part : manifest.parts) referenced.insert(part.file);
  }
  const auto now = std::chrono::system_clock::now();
  for (const auto& entry : *entries) {
    if (!entry.IsFile() || referenced.count(entry.base_name())) continue;
    auto age = now - entry.mtime();
    if (age < options_.maintenance.orphan_min_age) continue;
    {
      std::lock_guard uploads(uploads_mutex_);
      if (uploads_.count(entry.path())) continue;
    }
    spdlog::info("gc: deleting a part of '{}' that no version references",
                 name.ToString());
    DeleteThrottled(entry.path(), report, /*is_part=*/true, entry.size());
  }
}

}  // namespace quiver::store
