#include "quiver/store/cache/lru_index.h"

namespace quiver::store {

bool LruIndex::Touch(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  recent_.splice(recent_.begin(), recent_, it->second.position);
  return true;
}

std::vector<std::string> LruIndex::Insert(const std::string& key, int64_t bytes) {
  std::lock_guard lock(mutex_);
  filling_.erase(key);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.bytes;
    recent_.erase(it->second.position);
    entries_.erase(it);
  }
  recent_.push_front(key);
  entries_[key] = Entry{bytes, recent_.begin()};
  bytes_ += bytes;
  std::vector<std::string> evicted;
  while (bytes_ > max_bytes_ && recent_.size() > 1) {
    std::string oldest = recent_.back();
    recent_.pop_back();
    auto it = entries_.find(oldest);
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    evicted.push_back(std::move(oldest));
  }
  return evicted;
}

bool LruIndex::Remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  bytes_ -= it->second.bytes;
  recent_.erase(it->second.position);
  entries_.erase(it);
  return true;
}

bool LruIndex::BeginFill(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (entries_.count(key) != 0) return false;
  return filling_.insert(key).second;
}

void LruIndex::AbandonFill(const std::string& key) {
  std::lock_guard lock(mutex_);
  filling_.erase(key);
}

int64_t LruIndex::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

int64_t LruIndex::entries() const {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(entries_.size());
}

}  // namespace quiver::store
