#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/store/model/dataset_info.h"

namespace quiver::store {

/// \brief In-memory index of the current version of every dataset, so that listing
/// and look-ups never read storage. Dropped datasets keep an entry (their drop is
/// their current version, which commits build on) but are invisible to Find, List,
/// FindConflict, size and total_bytes.
///
/// Thread-safe: readers share a lock, writers take it alone.
class Catalog {
 public:
  /// \brief Record `info` as the current version of info.name unless the entry
  /// already holds a newer version. \return whether it was recorded.
  bool Put(DatasetInfo info);
  /// \brief Remove an entry. \return whether it was there.
  bool Erase(const DatasetName& name);
  /// \brief The entry of a live (not dropped) dataset, if any (a copy: safe to keep).
  std::optional<DatasetInfo> Find(const DatasetName& name) const;
  /// \brief The entry of `name`, dropped or not.
  std::optional<DatasetInfo> FindHead(const DatasetName& name) const;
  /// \brief Names of every entry, dropped ones included.
  std::vector<DatasetName> Names() const;
  /// \brief Entries whose name starts with `prefix` (all when empty), sorted by name.
  std::vector<DatasetInfo> List(std::string_view prefix = {}) const;
  /// \brief The first entry that is an ancestor or a descendant of `name` in the
  /// name hierarchy (e.g. "a" for "a/b", or "a/b" for "a"), if any.
  std::optional<DatasetName> FindConflict(const DatasetName& name) const;

  size_t size() const;
  /// \brief Sum of stored_bytes over all entries.
  int64_t total_bytes() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, DatasetInfo, std::less<>> entries_;
  int64_t total_bytes_ = 0;
  int64_t live_ = 0;
};

}  // namespace quiver::store
