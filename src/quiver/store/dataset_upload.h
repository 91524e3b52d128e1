#pragma once

#include <memory>
#include <string>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/model/dataset_info.h"
#include "quiver/store/parquet/part_writer.h"

namespace quiver::store {

class DatasetStoreImpl;

/// \brief What a committed upload does to the dataset.
enum class UploadMode {
  kOverwrite,  ///< the uploaded rows become the whole dataset (a new version)
  kAppend,     ///< the uploaded rows are added after the current ones (a new version)
};

/// \brief One upload in progress: batches stream into a new part that becomes part of
/// a new version only on Commit().
///
/// Until Commit() succeeds nothing is visible to readers and the current version of
/// the dataset stays intact. Destroying an upload that was not committed aborts it and
/// deletes its part. Concurrent uploads of the same name each write their own part
/// and each commit a version of its own: overwrites replace whole, in commit order;
/// appends all land.
///
/// Not thread-safe: one upload is driven by one thread. Made by
/// DatasetStore::BeginUpload.
class DatasetUpload {
 public:
  ~DatasetUpload();
  DatasetUpload(const DatasetUpload&) = delete;
  DatasetUpload& operator=(const DatasetUpload&) = delete;

  const DatasetName& name() const { return name_; }
  const std::shared_ptr<arrow::Schema>& schema() const { return schema_; }
  UploadMode mode() const { return mode_; }
  int64_t rows_written() const { return part_ ? part_->rows() : 0; }

  /// \brief Append a batch (kept alive until encoded).
  /// \return Invalid if the batch does not match the declared schema or is malformed,
  /// or the error of an earlier batch's encoding; the upload is then unusable.
  arrow::Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// \brief Finish the part, make it durable and commit the new version.
  /// \return the new version's info; Invalid if an append's schema no longer matches
  /// the dataset's (it was overwritten meanwhile with another schema).
  arrow::Result<DatasetInfo> Commit();

  /// \brief Give up: delete the part. Idempotent.
  void Abort();

 private:
  friend class DatasetStoreImpl;
  DatasetUpload(std::shared_ptr<DatasetStoreImpl> store, DatasetName name,
                std::shared_ptr<arrow::Schema> schema, UploadMode mode,
                std::unique_ptr<PartWriter> part);

  arrow::Status Fail(arrow::Status status);

  std::shared_ptr<DatasetStoreImpl> store_;
  DatasetName name_;
  std::shared_ptr<arrow::Schema> schema_;
  UploadMode mode_;
  std::unique_ptr<PartWriter> part_;
  bool done_ = false;
};

}  // namespace quiver::store
