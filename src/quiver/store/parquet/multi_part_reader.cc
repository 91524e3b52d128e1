#include "quiver/store/parquet/multi_part_reader.h"

#include <arrow/type.h>

namespace quiver::store {
namespace {

class MultiPartReader : public arrow::RecordBatchReader {
 public:
  MultiPartReader(std::shared_ptr<arrow::Schema> schema, size_t part_count,
                  PartOpener open, std::shared_ptr<void> keep_alive)
      : schema_(std::move(schema)),
        part_count_(part_count),
        open_(std::move(open)),
        keep_alive_(std::move(keep_alive)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    while (true) {
      if (!current_) {
        if (next_ >= part_count_) {
          *batch = nullptr;
          return arrow::Status::OK();
        }
        ARROW_ASSIGN_OR_RAISE(current_, open_(next_++));
      }
      ARROW_RETURN_NOT_OK(current_->ReadNext(batch));
      if (*batch != nullptr) {
        if (!(*batch)->schema()->Equals(*schema_, /*check_metadata=*/false)) {
          return arrow::Status::IOError("a part's schema differs from its version's");
        }
        // One schema object for the whole stream (Flight checks it per batch).
        *batch =
            arrow::RecordBatch::Make(schema_, (*batch)->num_rows(), (*batch)->columns());
        return arrow::Status::OK();
      }
      ARROW_RETURN_NOT_OK(current_->Close());
      current_.reset();
    }
  }

  arrow::Status Close() override {
    arrow::Status st;
    if (current_) st = current_->Close();
    current_.reset();
    next_ = part_count_;
    keep_alive_.reset();
    return st;
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  size_t part_count_;
  PartOpener open_;
  std::shared_ptr<void> keep_alive_;
  std::shared_ptr<arrow::RecordBatchReader> current_;
  size_t next_ = 0;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeMultiPartReader(
    std::shared_ptr<arrow::Schema> schema, size_t part_count, PartOpener open,
    std::shared_ptr<void> keep_alive) {
  return std::make_shared<MultiPartReader>(std::move(schema), part_count, std::move(open),
                                           std::move(keep_alive));
}

}  // namespace quiver::store
