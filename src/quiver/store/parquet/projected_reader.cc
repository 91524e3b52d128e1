#include "quiver/store/parquet/projected_reader.h"

namespace quiver::store {
namespace {

class ProjectedReader : public arrow::RecordBatchReader {
 public:
  ProjectedReader(std::shared_ptr<arrow::RecordBatchReader> reader,
                  std::vector<int> positions, std::shared_ptr<arrow::Schema> schema)
      : reader_(std::move(reader)),
        positions_(std::move(positions)),
        schema_(std::move(schema)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader_->ReadNext(&batch));
    if (batch == nullptr) {
      *out = nullptr;
      return arrow::Status::OK();
    }
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(positions_.size());
    for (int position : positions_) {
      if (position < 0 || position >= batch->num_columns()) {
        return arrow::Status::IOError("a batch has fewer columns than its reader says");
      }
      columns.push_back(batch->column(position));
    }
    *out = arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
    return arrow::Status::OK();
  }

  arrow::Status Close() override { return reader_->Close(); }

 private:
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  std::vector<int> positions_;
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeProjectedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, std::vector<int> positions,
    std::shared_ptr<arrow::Schema> schema) {
  return std::make_shared<ProjectedReader>(std::move(reader), std::move(positions),
                                           std::move(schema));
}

}  // namespace quiver::store
