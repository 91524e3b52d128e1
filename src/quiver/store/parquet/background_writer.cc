#include "quiver/store/parquet/background_writer.h"

namespace quiver::store {

BackgroundWriter::BackgroundWriter(Consumer consumer, size_t capacity)
    : consumer_(std::move(consumer)), capacity_(capacity == 0 ? 1 : capacity) {
  thread_ = std::thread([this] { Run(); });
}

BackgroundWriter::~BackgroundWriter() { Cancel(); }

void BackgroundWriter::Run() {
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_ || cancelled_; });
      if (cancelled_ || (queue_.empty() && closing_)) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();  // room for the producer
    arrow::Status st = consumer_(batch);
    if (!st.ok()) {
      std::lock_guard lock(mutex_);
      error_ = std::move(st);
      cancelled_ = true;
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

arrow::Status BackgroundWriter::Push(std::shared_ptr<arrow::RecordBatch> batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < capacity_ || cancelled_; });
  if (!error_.ok()) return error_;
  if (cancelled_ || closing_)
    return arrow::Status::Invalid("background writer is stopped");
  queue_.push_back(std::move(batch));
  lock.unlock();
  changed_.notify_all();
  return arrow::Status::OK();
}

void BackgroundWriter::Stop(bool drain) {
  {
    std::lock_guard lock(mutex_);
    if (drain) {
      closing_ = true;
    } else {
      cancelled_ = true;
      queue_.clear();
    }
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

arrow::Status BackgroundWriter::Finish() {
  Stop(/*drain=*/true);
  std::lock_guard lock(mutex_);
  return error_;
}

void BackgroundWriter::Cancel() { Stop(/*drain=*/false); }

}  // namespace quiver::store
