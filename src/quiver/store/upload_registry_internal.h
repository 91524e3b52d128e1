#pragma once

#include <array>
#include <mutex>
#include <set>
#include <string>

#include "quiver/store/model/dataset_name.h"

namespace quiver::store {

/// \brief What this node is writing: the paths of parts being written (which GC never
/// collects) and the per-dataset locks that serialise a dataset's removal by GC with
/// the start of an upload into it.
///
/// Thread-safe.
class UploadRegistry {
 public:
  /// \brief The (striped) lock of `name`: held while a part of it is registered and
  /// while GC removes it, so that neither happens in the middle of the other.
  std::mutex& DatasetMutex(const DatasetName& name);

  /// \brief Record `part_path` as being written (a path may be added more than once).
  void Add(const std::string& part_path);
  /// \brief Forget one registration of `part_path`; nothing if it has none.
  void Remove(const std::string& part_path);
  /// \brief Whether `part_path` is being written.
  bool Contains(const std::string& part_path) const;
  /// \brief Whether some part under `directory` (a path without trailing '/') is being
  /// written.
  bool AnyUnder(const std::string& directory) const;

 private:
  std::array<std::mutex, 64> dataset_mutexes_;
  mutable std::mutex mutex_;
  std::multiset<std::string> parts_;
};

}  // namespace quiver::store
