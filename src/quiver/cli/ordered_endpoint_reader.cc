#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include <arrow/status.h>
#include <arrow/util/byte_size.h>

#include "quiver/cli/ordered_endpoint_reader_internal.h"

namespace quiver::cli {
namespace {

/// The endpoints one after the other, on the caller's thread.
class SequentialReader : public OrderedEndpointReader {
 public:
  SequentialReader(client::QuiverClient& client,
                   std::vector<arrow::flight::FlightEndpoint> endpoints)
      : client_(client), endpoints_(std::move(endpoints)) {}

  arrow::Result<std::shared_ptr<arrow::Schema>> schema() override {
    if (schema_ == nullptr) {
      ARROW_RETURN_NOT_OK(OpenNext());
      if (schema_ == nullptr) return arrow::Status::Invalid("no endpoint to read");
    }
    return schema_;
  }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    while (true) {
      if (stream_.reader == nullptr) {
        if (next_ == endpoints_.size()) return nullptr;
        ARROW_RETURN_NOT_OK(OpenNext());
      }
      ARROW_ASSIGN_OR_RAISE(auto chunk, stream_.reader->Next());
      if (chunk.data != nullptr) return chunk.data;
      stream_ = {};
    }
  }

  void Cancel() override {
    if (stream_.reader != nullptr) stream_.reader->Cancel();
  }

 private:
  arrow::Status OpenNext() {
    ARROW_ASSIGN_OR_RAISE(stream_, client_.OpenEndpoint(endpoints_[next_++]));
    ARROW_ASSIGN_OR_RAISE(auto schema, stream_.reader->GetSchema());
    if (schema_ == nullptr) {
      schema_ = std::move(schema);
    } else if (!schema->Equals(*schema_)) {
      return arrow::Status::Invalid("endpoint ", next_, " sent another schema");
    }
    return arrow::Status::OK();
  }

  client::QuiverClient& client_;
  std::vector<arrow::flight::FlightEndpoint> endpoints_;
  size_t next_ = 0;
  client::EndpointStream stream_;
  std::shared_ptr<arrow::Schema> schema_;
};

/// One endpoint's stream, read on its own thread into a bounded queue.
class Slot {
 public:
  Slot(client::EndpointStream stream, int64_t max_bytes)
      : stream_(std::move(stream)), max_bytes_(max_bytes) {}
  ~Slot() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

  /// Wait for the schema (or the stream's error).
  arrow::Result<std::shared_ptr<arrow::Schema>> schema() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return schema_ != nullptr || done_; });
    if (schema_ == nullptr) {
      return status_.ok() ? arrow::Status::IOError("the stream ended without a schema")
                          : status_;
    }
    return schema_;
  }

  /// The next batch; nullptr at the end.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Take() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
      auto batch = std::move(queue_.front());
      queue_.pop_front();
      bytes_ -= arrow::util::TotalBufferSize(*batch);
      changed_.notify_all();
      return batch;
    }
    if (!status_.ok()) return status_;
    return nullptr;
  }

  /// Cancel the stream if it still runs, and wait for the thread.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!done_) {
        cancelled_ = true;
        if (stream_.reader != nullptr) stream_.reader->Cancel();
      }
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    auto schema = stream_.reader->GetSchema();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!schema.ok()) {
        Finish(schema.status());
        return;
      }
      schema_ = *schema;
      changed_.notify_all();
    }
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return cancelled_ || bytes_ < max_bytes_; });
        if (cancelled_) {
          Finish(arrow::Status::Cancelled("read cancelled"));
          return;
        }
      }
      auto chunk = stream_.reader->Next();
      std::lock_guard<std::mutex> lock(mutex_);
      if (!chunk.ok()) {
        Finish(cancelled_ ? arrow::Status::Cancelled("read cancelled") : chunk.status());
        return;
      }
      if (chunk->data == nullptr) {
        Finish(arrow::Status::OK());
        return;
      }
      bytes_ += arrow::util::TotalBufferSize(*chunk->data);
      queue_.push_back(std::move(chunk->data));
      changed_.notify_all();
    }
  }

  // REQUIRES: mutex_ is held.
  void Finish(arrow::Status status) {
    status_ = std::move(status);
    done_ = true;
    changed_.notify_all();
  }

  client::EndpointStream stream_;
  const int64_t max_bytes_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<arrow::RecordBatch>> queue_;
  int64_t bytes_ = 0;
  bool done_ = false;
  bool cancelled_ = false;
  arrow::Status status_;
  std::shared_ptr<arrow::Schema> schema_;
};

/// Up to `parallel` endpoints read at once; consumed in order.
class ConcurrentReader : public OrderedEndpointReader {
 public:
  ConcurrentReader(client::QuiverClient& client,
                   std::vector<arrow::flight::FlightEndpoint> endpoints,
                   OrderedReadOptions options)
      : client_(client), endpoints_(std::move(endpoints)), options_(options) {
    slots_.resize(endpoints_.size());
  }

  ~ConcurrentReader() override { Cancel(); }

  arrow::Status StartWindow() {
    while (started_ < endpoints_.size() &&
           started_ < current_ + static_cast<size_t>(options_.parallel)) {
      ARROW_ASSIGN_OR_RAISE(auto stream, client_.OpenEndpoint(endpoints_[started_]));
      slots_[started_] =
          std::make_unique<Slot>(std::move(stream), options_.max_buffered_bytes);
      slots_[started_]->Start();
      ++started_;
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::shared_ptr<arrow::Schema>> schema() override {
    if (schema_ == nullptr) {
      if (slots_.empty()) return arrow::Status::Invalid("no endpoint to read");
      ARROW_ASSIGN_OR_RAISE(schema_, slots_[0]->schema());
    }
    return schema_;
  }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    ARROW_RETURN_NOT_OK(schema().status());
    while (current_ < slots_.size()) {
      auto& slot = *slots_[current_];
      if (!checked_) {
        ARROW_ASSIGN_OR_RAISE(auto schema, slot.schema());
        if (!schema->Equals(*schema_)) {
          return arrow::Status::Invalid("endpoint ", current_ + 1,
                                        " sent another schema");
        }
        checked_ = true;
      }
      ARROW_ASSIGN_OR_RAISE(auto batch, slot.Take());
      if (batch != nullptr) return batch;
      slot.Stop();
      slots_[current_].reset();
      ++current_;
      checked_ = false;
      ARROW_RETURN_NOT_OK(StartWindow());
    }
    return nullptr;
  }

  void Cancel() override {
    for (auto& slot : slots_) {
      if (slot != nullptr) slot->Stop();
    }
  }

 private:
  client::QuiverClient& client_;
  std::vector<arrow::flight::FlightEndpoint> endpoints_;
  OrderedReadOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  size_t current_ = 0;  // the endpoint being consumed
  size_t started_ = 0;  // endpoints opened so far
  bool checked_ = false;
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace

arrow::Result<std::unique_ptr<OrderedEndpointReader>> OrderedEndpointReader::Open(
    client::QuiverClient& client, std::vector<arrow::flight::FlightEndpoint> endpoints,
    OrderedReadOptions options) {
  if (options.parallel <= 1 || endpoints.size() <= 1) {
    return std::make_unique<SequentialReader>(client, std::move(endpoints));
  }
  auto reader = std::make_unique<ConcurrentReader>(client, std::move(endpoints), options);
  ARROW_RETURN_NOT_OK(reader->StartWindow());
  return reader;
}

}  // namespace quiver::cli
