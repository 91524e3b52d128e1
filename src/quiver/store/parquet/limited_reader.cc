#include "quiver/store/parquet/limited_reader.h"

namespace quiver::store {
namespace {

class LimitedReader : public arrow::RecordBatchReader {
 public:
  LimitedReader(std::shared_ptr<arrow::RecordBatchReader> reader, int64_t limit)
      : reader_(std::move(reader)), schema_(reader_->schema()), left_(limit) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    *batch = nullptr;
    if (reader_ == nullptr) return arrow::Status::OK();
    if (left_ > 0) {
      ARROW_RETURN_NOT_OK(reader_->ReadNext(batch));
      if (*batch != nullptr) {
        if ((*batch)->num_rows() > left_) *batch = (*batch)->Slice(0, left_);
        left_ -= (*batch)->num_rows();
        if (left_ > 0) return arrow::Status::OK();
      }
    }
    // Done: let go of the files (and the version's pin) now, not when the stream ends.
    arrow::Status st = reader_->Close();
    reader_.reset();
    return st;
  }

  arrow::Status Close() override {
    if (reader_ == nullptr) return arrow::Status::OK();
    arrow::Status st = reader_->Close();
    reader_.reset();
    return st;
  }

 private:
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  std::shared_ptr<arrow::Schema> schema_;
  int64_t left_;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeLimitedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, int64_t limit) {
  return std::make_shared<LimitedReader>(std::move(reader), limit);
}

}  // namespace quiver::store
