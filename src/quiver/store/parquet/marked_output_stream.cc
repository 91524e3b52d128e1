#include "quiver/store/parquet/marked_output_stream.h"

#include <arrow/buffer.h>

#include "quiver/store/model/storage_error.h"

namespace quiver::store {
namespace {

class MarkedOutputStream : public arrow::io::OutputStream {
 public:
  explicit MarkedOutputStream(std::shared_ptr<arrow::io::OutputStream> stream)
      : stream_(std::move(stream)) {}

  arrow::Status Close() override { return MarkStorageFailure(stream_->Close()); }
  arrow::Status Abort() override { return MarkStorageFailure(stream_->Abort()); }
  bool closed() const override { return stream_->closed(); }

  arrow::Result<int64_t> Tell() const override {
    auto position = stream_->Tell();
    if (!position.ok()) return MarkStorageFailure(position.status());
    return position;
  }

  arrow::Status Write(const void* data, int64_t nbytes) override {
    return MarkStorageFailure(stream_->Write(data, nbytes));
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    return MarkStorageFailure(stream_->Write(data));
  }
  arrow::Status Flush() override { return MarkStorageFailure(stream_->Flush()); }

 private:
  std::shared_ptr<arrow::io::OutputStream> stream_;
};

}  // namespace

std::shared_ptr<arrow::io::OutputStream> MarkStorageFailures(
    std::shared_ptr<arrow::io::OutputStream> stream) {
  return std::make_shared<MarkedOutputStream>(std::move(stream));
}

}  // namespace quiver::store
