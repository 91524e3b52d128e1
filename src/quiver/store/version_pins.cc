#include "quiver/store/version_pins_internal.h"

namespace quiver::store {

arrow::Result<VersionPins::Pin> VersionPins::Acquire(const std::string& name,
                                                     int64_t version) {
  Key key{name, version};
  {
    std::lock_guard lock(mutex_);
    if (reaped_.count(key)) {
      return arrow::Status::KeyError("version ", version, " of dataset '", name,
                                     "' no longer exists (removed by retention)");
    }
    ++counts_[key];
  }
  std::weak_ptr<VersionPins> weak = weak_from_this();
  return Pin(static_cast<void*>(nullptr), [weak, key](void*) {
    if (auto self = weak.lock()) self->Release(key);
  });
}

void VersionPins::Release(const Key& key) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(key);
  if (it != counts_.end() && --it->second == 0) counts_.erase(it);
}

std::vector<int64_t> VersionPins::Reap(const std::string& name,
                                       const std::vector<int64_t>& versions) {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> claimed;
  for (int64_t version : versions) {
    Key key{name, version};
    if (counts_.count(key)) continue;
    reaped_.insert(key);
    claimed.push_back(version);
  }
  return claimed;
}

void VersionPins::ForgetReaped(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = reaped_.lower_bound(Key{name, 0});
  while (it != reaped_.end() && it->first == name) it = reaped_.erase(it);
}

bool VersionPins::pinned(const std::string& name, int64_t version) const {
  std::lock_guard lock(mutex_);
  return counts_.count(Key{name, version}) > 0;
}

}  // namespace quiver::store
