#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <arrow/result.h>

namespace quiver::store {

/// \brief Which versions this process is reading (or building on), so that garbage
/// collection never deletes them, and which versions GC has claimed, so that nobody
/// starts reading them.
///
/// A Pin is a claim held for as long as its shared_ptr lives. Thread-safe.
class VersionPins : public std::enable_shared_from_this<VersionPins> {
 public:
  using Pin = std::shared_ptr<void>;

  /// \brief Pin version `version` of dataset `name`.
  /// \return KeyError if GC has claimed (is deleting, or deleted) that version.
  arrow::Result<Pin> Acquire(const std::string& name, int64_t version);

  /// \brief Claim, for deletion, those of `versions` that no one pins; once claimed a
  /// version can never be pinned again. \return the claimed versions.
  std::vector<int64_t> Reap(const std::string& name,
                            const std::vector<int64_t>& versions);

  /// \brief Forget the claims on `name` (its history is gone; a new dataset of the
  /// same name may reuse version numbers).
  void ForgetReaped(const std::string& name);

  bool pinned(const std::string& name, int64_t version) const;

 private:
  using Key = std::pair<std::string, int64_t>;
  void Release(const Key& key);

  mutable std::mutex mutex_;
  std::map<Key, int> counts_;
  std::set<Key> reaped_;
};

}  // namespace quiver::store
