#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace quiver::store {

/// \brief Keys with sizes under a total: what a cache holds, in the order last used
/// (least recently used first out), and which keys are being filled. Thread-safe.
/// The index of the part cache and of the footer cache.
class LruIndex {
 public:
  explicit LruIndex(int64_t max_bytes) : max_bytes_(max_bytes) {}

  /// \brief Whether `key` is cached; if so it becomes the most recently used.
  bool Touch(const std::string& key);

  /// \brief Add `key` (`bytes` large) as the most recently used entry and end its fill.
  /// \return the keys evicted to bring the total back under the maximum (the oldest
  /// first; never `key` itself): the caller deletes their files.
  std::vector<std::string> Insert(const std::string& key, int64_t bytes);

  /// \brief Forget `key`. \return whether it was cached.
  bool Remove(const std::string& key);

  /// \brief Note that `key` is being written. \return false, doing nothing, when it is
  /// cached or being written already.
  bool BeginFill(const std::string& key);
  /// \brief The fill of `key` ended without an entry.
  void AbandonFill(const std::string& key);

  int64_t bytes() const;
  int64_t entries() const;
  int64_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    int64_t bytes = 0;
    std::list<std::string>::iterator position;
  };

  const int64_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<std::string> recent_;                   // most recently used first
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::set<std::string> filling_;                   // guarded by mutex_
  int64_t bytes_ = 0;                               // guarded by mutex_
};

}  // namespace quiver::store
