#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <arrow/record_batch.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief Runs a batch consumer on its own thread behind a bounded queue, so that an
/// upload's Parquet encoding overlaps with receiving and validating the next batches.
///
/// Push() blocks while `capacity` batches wait (memory stays bounded). The first error
/// of the consumer stops it; Push() and Finish() then return that error. Push() and
/// Finish() are called from one producer thread; the consumer runs on the writer's
/// thread only. The destructor cancels (pending batches are dropped) and joins.
class BackgroundWriter {
 public:
  using Consumer =
      std::function<arrow::Status(const std::shared_ptr<arrow::RecordBatch>&)>;

  BackgroundWriter(Consumer consumer, size_t capacity);
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  /// \brief Queue a batch. \return the consumer's first error, if it has failed.
  arrow::Status Push(std::shared_ptr<arrow::RecordBatch> batch);

  /// \brief Wait until every queued batch is consumed and stop the thread.
  /// \return the consumer's first error, if any. Idempotent.
  arrow::Status Finish();

  /// \brief Drop the queued batches and stop the thread. Idempotent.
  void Cancel();

 private:
  void Run();
  void Stop(bool drain);

  Consumer consumer_;
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<arrow::RecordBatch>> queue_;  // guarded by mutex_
  bool closing_ = false;                                   // guarded by mutex_
  bool cancelled_ = false;                                 // guarded by mutex_
  arrow::Status error_;                                    // guarded by mutex_
  std::thread thread_;
};

}  // namespace quiver::store
