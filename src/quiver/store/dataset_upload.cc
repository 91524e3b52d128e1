#include "quiver/store/dataset_upload.h"

#include <arrow/type.h>

#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {

DatasetUpload::DatasetUpload(std::shared_ptr<DatasetStoreImpl> store, DatasetName name,
                             std::shared_ptr<arrow::Schema> schema, UploadMode mode,
                             std::unique_ptr<PartWriter> part)
    : store_(std::move(store)),
      name_(std::move(name)),
      schema_(std::move(schema)),
      mode_(mode),
      part_(std::move(part)) {}

DatasetUpload::~DatasetUpload() { Abort(); }

arrow::Status DatasetUpload::Fail(arrow::Status status) {
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
  if (store_->options().write.validate_batches) {
    auto st = batch->ValidateFull();
    if (!st.ok()) {
      return Fail(arrow::Status::Invalid("malformed record batch for '", name_.ToString(),
                                         "': ", st.message()));
    }
  }
  auto st = part_->Write(batch);
  if (!st.ok()) return Fail(st);
  return arrow::Status::OK();
}

arrow::Result<DatasetInfo> DatasetUpload::Commit() {
  if (done_) return arrow::Status::Invalid("upload of '", name_.ToString(), "' is over");
  auto part = part_->Finish();
  if (!part.ok()) return Fail(part.status());
  auto commit_span = telemetry::StartSpan("commit");
  commit_span.SetAttribute("quiver.dataset", name_.ToString());
  arrow::Result<DatasetInfo> info;
  {
    // The manifest's conditional PUT (S3 roots) is a child of the commit.
    telemetry::ScopedActiveSpan active(commit_span);
    info = store_->CommitUpload(*this, std::move(*part));
  }
  commit_span.RecordError(info.status());
  if (!info.ok()) {
    store_->DeletePart(name_, part_->path());
    done_ = true;
    store_->EndUpload(part_->path());
    return info.status();
  }
  done_ = true;
  store_->EndUpload(part_->path());
  return info;
}

void DatasetUpload::Abort() {
  if (done_) return;
  done_ = true;
  part_->Abort();
  store_->EndUpload(part_->path());
}

}  // namespace quiver::store
