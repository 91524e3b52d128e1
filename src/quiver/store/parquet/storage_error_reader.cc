#include "quiver/store/parquet/storage_error_reader.h"

#include <spdlog/spdlog.h>

#include "quiver/store/model/storage_error.h"

namespace quiver::store {
namespace {

class StorageErrorReader : public arrow::RecordBatchReader {
 public:
  StorageErrorReader(std::shared_ptr<arrow::RecordBatchReader> reader, DatasetName name)
      : reader_(std::move(reader)), name_(std::move(name)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    return Wrap(reader_->ReadNext(batch));
  }

  arrow::Status Close() override { return Wrap(reader_->Close()); }

 private:
  arrow::Status Wrap(arrow::Status status) const {
    // The client's errors (a filter failing on the rows) are no storage failure.
    if (status.ok() || status.IsCancelled() || IsClientError(status)) return status;
    spdlog::error("storage: read of dataset '{}' failed: {}", name_.ToString(),
                  status.ToString());
    return StorageFailure(
        status, "storage failure during read of dataset '" + name_.ToString() + "'");
  }

  std::shared_ptr<arrow::RecordBatchReader> reader_;
  DatasetName name_;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeStorageErrorReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, DatasetName name) {
  return std::make_shared<StorageErrorReader>(std::move(reader), std::move(name));
}

}  // namespace quiver::store
