#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <arrow/io/interfaces.h>

namespace quiver::cli {

/// \brief An InputStream that forwards to another and counts the bytes read through
/// it, for progress. bytes_read() may be called from any thread (Arrow's readers read
/// ahead on their own threads).
class CountingInputStream : public arrow::io::InputStream {
 public:
  explicit CountingInputStream(std::shared_ptr<arrow::io::InputStream> inner)
      : inner_(std::move(inner)) {}

  int64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }

  arrow::Status Close() override { return inner_->Close(); }
  arrow::Status Abort() override { return inner_->Abort(); }
  bool closed() const override { return inner_->closed(); }
  arrow::Result<int64_t> Tell() const override { return inner_->Tell(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(int64_t n, inner_->Read(nbytes, out));
    bytes_read_.fetch_add(n, std::memory_order_relaxed);
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(auto buffer, inner_->Read(nbytes));
    bytes_read_.fetch_add(buffer->size(), std::memory_order_relaxed);
    return buffer;
  }

 private:
  std::shared_ptr<arrow::io::InputStream> inner_;
  std::atomic<int64_t> bytes_read_{0};
};

}  // namespace quiver::cli
