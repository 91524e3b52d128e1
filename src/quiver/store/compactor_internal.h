#pragma once

#include <deque>
#include <memory>
#include <mutex>

#include "quiver/store/background_loop_internal.h"
#include "quiver/store/model/dataset_info.h"

namespace quiver::store {

class DatasetStoreImpl;

/// \brief Compaction: rewrites runs of small consecutive parts of a dataset's current
/// version into larger parts, as a new version with the same rows in the same order
/// (appends committed meanwhile are kept after them). Datasets queued by Enqueue are
/// compacted on a thread of its own.
///
/// Thread-safe. A compaction that loses to an overwrite or drop is Cancelled, and
/// deletes what it wrote.
class Compactor {
 public:
  /// \param store must outlive the compactor.
  explicit Compactor(DatasetStoreImpl& store);
  ~Compactor();

  /// \brief Compact queued datasets on a thread of its own, until destruction.
  void StartLoop();

  /// \brief Queue `name` for the background thread (once, however often it is
  /// queued before its turn). Nothing without StartLoop().
  void Enqueue(const DatasetName& name);

  /// \brief Compact `name` now. \return the current version unchanged when there is
  /// nothing to compact; KeyError if there is no such dataset; Cancelled if it was
  /// replaced meanwhile or the store is stopping.
  arrow::Result<DatasetInfo> Compact(const DatasetName& name);

 private:
  void DrainQueue();
  /// Rewrite parts [begin, end) of `base` into one new part (registered as being
  /// written; its path is added to `written` as soon as it exists).
  arrow::Result<PartInfo> RewriteRun(const DatasetInfo& base, size_t begin, size_t end,
                                     std::vector<std::string>* written);

  DatasetStoreImpl& store_;
  std::mutex mutex_;
  std::deque<DatasetName> queue_;
  std::unique_ptr<BackgroundLoop> loop_;
};

}  // namespace quiver::store
