#include "quiver/server/idle_tracking_reader_internal.h"

namespace quiver::server {
namespace {

class IdleTrackingReader : public arrow::RecordBatchReader {
 public:
  IdleTrackingReader(std::shared_ptr<arrow::RecordBatchReader> reader,
                     std::unique_ptr<StreamSlot> slot)
      : reader_(std::move(reader)), slot_(std::move(slot)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    slot_->Busy();
    auto status = reader_->ReadNext(batch);
    slot_->Waiting();
    return status;
  }

  arrow::Status Close() override { return reader_->Close(); }

 private:
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  std::unique_ptr<StreamSlot> slot_;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeIdleTrackingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, std::unique_ptr<StreamSlot> slot) {
  return std::make_shared<IdleTrackingReader>(std::move(reader), std::move(slot));
}

}  // namespace quiver::server
