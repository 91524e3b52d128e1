#include <arrow/util/byte_size.h>

#include "quiver/server/counting_reader_internal.h"
#include "quiver/server/flight_status_internal.h"

namespace quiver::server {
namespace {

class CountingReader : public arrow::RecordBatchReader {
 public:
  CountingReader(std::shared_ptr<arrow::RecordBatchReader> reader, CallStats* stats)
      : reader_(std::move(reader)), stats_(stats) {}

  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    // Errors in mid-stream get their Flight code here (storage failure: INTERNAL).
    auto st = reader_->ReadNext(batch);
    if (!st.ok()) return ToFlightStatus(std::move(st));
    if (*batch) {
      stats_->rows += (*batch)->num_rows();
      stats_->bytes += arrow::util::TotalBufferSize(**batch);
    }
    return arrow::Status::OK();
  }

  arrow::Status Close() override { return reader_->Close(); }

 private:
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  CallStats* stats_;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeCountingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, CallStats* stats) {
  return std::make_shared<CountingReader>(std::move(reader), stats);
}

}  // namespace quiver::server
