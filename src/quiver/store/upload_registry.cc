#include <functional>

#include "quiver/store/upload_registry_internal.h"

namespace quiver::store {

std::mutex& UploadRegistry::DatasetMutex(const DatasetName& name) {
  return dataset_mutexes_[std::hash<std::string>{}(name.ToString()) %
                          dataset_mutexes_.size()];
}

void UploadRegistry::Add(const std::string& part_path) {
  std::lock_guard lock(mutex_);
  parts_.insert(part_path);
}

void UploadRegistry::Remove(const std::string& part_path) {
  std::lock_guard lock(mutex_);
  auto it = parts_.find(part_path);
  if (it != parts_.end()) parts_.erase(it);
}

bool UploadRegistry::Contains(const std::string& part_path) const {
  std::lock_guard lock(mutex_);
  return parts_.count(part_path) > 0;
}

bool UploadRegistry::AnyUnder(const std::string& directory) const {
  const std::string prefix = directory + "/";
  std::lock_guard lock(mutex_);
  auto it = parts_.lower_bound(prefix);
  return it != parts_.end() && it->starts_with(prefix);
}

}  // namespace quiver::store
