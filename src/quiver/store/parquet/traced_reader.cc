#include "quiver/store/parquet/traced_reader.h"

#include <chrono>

#include "quiver/telemetry/active_span.h"

namespace quiver::store {
namespace {

class TracedReader : public arrow::RecordBatchReader {
 public:
  TracedReader(std::shared_ptr<arrow::RecordBatchReader> reader, telemetry::Span span,
               std::function<void(telemetry::Span&)> at_end)
      : reader_(std::move(reader)), span_(std::move(span)), at_end_(std::move(at_end)) {}
  ~TracedReader() override { Finish(); }

  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    auto start = std::chrono::steady_clock::now();
    arrow::Status status;
    {
      // The object-store requests of this read (S3 roots) are the span's children.
      telemetry::ScopedActiveSpan active(span_);
      status = reader_->ReadNext(batch);
    }
    read_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      span_.RecordError(status);
      Finish();
    } else if (*batch == nullptr) {
      Finish();
    } else {
      rows_ += (*batch)->num_rows();
      ++batches_;
    }
    return status;
  }

  arrow::Status Close() override {
    Finish();
    return reader_->Close();
  }

 private:
  void Finish() {
    if (!span_.recording()) return;
    span_.SetAttribute("quiver.rows", rows_);
    span_.SetAttribute("quiver.batches", batches_);
    span_.SetAttribute("quiver.read_seconds", read_seconds_);
    if (at_end_) at_end_(span_);
    span_.End();
  }

  std::shared_ptr<arrow::RecordBatchReader> reader_;
  telemetry::Span span_;
  std::function<void(telemetry::Span&)> at_end_;
  int64_t rows_ = 0;
  int64_t batches_ = 0;
  double read_seconds_ = 0;
};

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> MakeTracedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, telemetry::Span span,
    std::function<void(telemetry::Span&)> at_end) {
  if (!span.recording()) return reader;
  return std::make_shared<TracedReader>(std::move(reader), std::move(span),
                                        std::move(at_end));
}

}  // namespace quiver::store
