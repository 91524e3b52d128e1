#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <arrow/filesystem/localfs.h>
#include <arrow/record_batch.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief Writes the part cache's entries (Arrow IPC streams) on a thread of its own,
/// behind a queue bounded in bytes.
///
/// A fill writes to "<path>.tmp"; once complete the file is flushed to stable storage
/// and renamed to `path`, so a file found at `path` is always whole. Begin, Write and
/// End may be called from any thread; the calls of one fill come from one thread.
class PartCacheWriter {
 public:
  struct Callbacks {
    /// The entry of `key` is complete and in place, `bytes` long.
    std::function<void(const std::string& key, int64_t bytes)> committed;
    /// The fill of `key` ended without an entry: `why` is OK when its reader stopped
    /// early, the error otherwise.
    std::function<void(const std::string& key, const arrow::Status& why)> dropped;
  };

  /// `max_entry_bytes`: a fill growing past it is dropped (it could never fit).
  PartCacheWriter(int64_t queue_bytes, int64_t max_entry_bytes, Callbacks callbacks);
  /// Drops the queued batches and the fills in progress (deleting their temporary
  /// files) and joins the thread.
  ~PartCacheWriter();
  PartCacheWriter(const PartCacheWriter&) = delete;
  PartCacheWriter& operator=(const PartCacheWriter&) = delete;

  /// \brief Start the fill of `key` into `path`. \return its id.
  uint64_t Begin(std::string key, std::string path);
  /// \brief Queue a batch of the fill. Waits while more than queue_bytes are queued.
  void Write(uint64_t fill, std::shared_ptr<arrow::RecordBatch> batch);
  /// \brief The fill has no more batches: commit it if `complete`, else drop it.
  void End(uint64_t fill, bool complete);

 private:
  struct Job {
    uint64_t fill = 0;
    std::shared_ptr<arrow::RecordBatch> batch;  // nullptr: the end of the fill
    bool complete = false;
    int64_t bytes = 0;
  };
  struct Fill;

  void Run();
  void Apply(Job job);
  arrow::Status Append(Fill* fill, const arrow::RecordBatch& batch);
  arrow::Status Commit(Fill* fill);
  void Discard(Fill* fill);

  const int64_t queue_bytes_;
  const int64_t max_entry_bytes_;
  Callbacks callbacks_;
  arrow::fs::LocalFileSystem fs_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> queue_;     // guarded by mutex_
  int64_t queued_bytes_ = 0;  // guarded by mutex_
  uint64_t next_fill_ = 1;    // guarded by mutex_
  bool stopping_ = false;     // guarded by mutex_
  /// Fills begun and not ended; only the thread touches their files.
  std::map<uint64_t, std::unique_ptr<Fill>> fills_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace quiver::store
