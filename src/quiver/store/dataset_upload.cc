#include "quiver/store/dataset_upload.h"

#include <arrow/io/interfaces.h>
#include <arrow/type.h>
#include <arrow/util/byte_size.h>
#include <parquet/arrow/writer.h>

#include "quiver/store/dataset_store.h"
#include "quiver/telemetry/active_span.h"
#include "quiver/telemetry/span_timer.h"

namespace quiver::store {

DatasetUpload::DatasetUpload(std::shared_ptr<DatasetStore> store, DatasetName name,
                             std::shared_ptr<arrow::Schema> schema, std::string temp_path,
                             std::shared_ptr<arrow::io::OutputStream> sink,
                             std::unique_ptr<parquet::arrow::FileWriter> writer)
    : store_(std::move(store)),
      name_(std::move(name)),
      schema_(std::move(schema)),
      temp_path_(std::move(temp_path)),
      sink_(std::move(sink)),
      writer_(std::move(writer)) {
  int depth = store_->options().write.pipeline_batches;
  if (depth > 0) {
    background_ = std::make_unique<BackgroundWriter>(
        [this](const std::shared_ptr<arrow::RecordBatch>& batch) {
          return Encode(batch);
        },
        static_cast<size_t>(depth));
  }
}

DatasetUpload::~DatasetUpload() { Abort(); }

void DatasetUpload::EndWriteSpan(const arrow::Status& status) {
  if (!write_span_.recording()) return;
  write_span_.SetAttribute("quiver.rows", rows_);
  write_span_.SetAttribute("quiver.write_seconds", write_seconds_);
  write_span_.RecordError(status);
  write_span_.End();
}

arrow::Status DatasetUpload::Fail(arrow::Status status) {
  EndWriteSpan(status);
  Abort();
  return status;
}

arrow::Status DatasetUpload::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (done_) return arrow::Status::Invalid("upload of '", name_.ToString(), "' is over");
  if (!batch->schema()->Equals(*schema_, /*check_metadata=*/false)) {
    return Fail(
        arrow::Status::Invalid("record batch schema does not match the schema "
                               "declared for '",
                               name_.ToString(), "'"));
  }
  const WriteOptions& options = store_->options().write;
  if (options.validate_batches) {
    auto st = batch->ValidateFull();
    if (!st.ok()) {
      return Fail(arrow::Status::Invalid("malformed record batch for '", name_.ToString(),
                                         "': ", st.message()));
    }
  }
  if (batch->num_rows() == 0) return arrow::Status::OK();
  rows_ += batch->num_rows();
  auto st = background_ ? background_->Push(batch) : Encode(batch);
  if (!st.ok()) return Fail(st);
  return arrow::Status::OK();
}

arrow::Status DatasetUpload::Encode(const std::shared_ptr<arrow::RecordBatch>& batch) {
  telemetry::SpanTimer timer(write_span_, &write_seconds_);
  auto st = writer_->WriteRecordBatch(*batch);
  if (!st.ok()) return StorageError(st, "write", name_);
  row_group_bytes_ += arrow::util::TotalBufferSize(*batch);
  if (row_group_bytes_ >= store_->options().write.row_group_target_bytes) {
    st = writer_->NewBufferedRowGroup();
    if (!st.ok()) return StorageError(st, "write", name_);
    row_group_bytes_ = 0;
  }
  return arrow::Status::OK();
}

arrow::Result<DatasetInfo> DatasetUpload::Commit() {
  if (done_) return arrow::Status::Invalid("upload of '", name_.ToString(), "' is over");
  arrow::Status st = background_ ? background_->Finish() : arrow::Status::OK();
  if (!st.ok()) return Fail(st);
  {
    telemetry::SpanTimer timer(write_span_, &write_seconds_);
    st = writer_->Close();
    if (st.ok() && !sink_->closed()) st = sink_->Close();
  }
  if (!st.ok()) return Fail(StorageError(st, "write", name_));
  EndWriteSpan(st);
  auto commit_span = telemetry::StartSpan("commit");
  commit_span.SetAttribute("quiver.dataset", name_.ToString());
  auto info = store_->Publish(name_, temp_path_, schema_, rows_);
  commit_span.RecordError(info.status());
  if (!info.ok()) return Fail(info.status());
  done_ = true;
  return info;
}

void DatasetUpload::Abort() {
  if (done_) return;
  done_ = true;
  if (background_) background_->Cancel();
  EndWriteSpan(arrow::Status::Cancelled("upload of '", name_.ToString(), "' aborted"));
  writer_.reset();  // drops buffered pages; the sink is closed below
  if (sink_ && !sink_->closed()) (void)sink_->Close();
  store_->RemoveTemp(temp_path_);
}

}  // namespace quiver::store
