#pragma once

#include <memory>
#include <string>

#include <arrow/io/type_fwd.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/background_writer.h"
#include "quiver/store/dataset_info.h"
#include "quiver/telemetry/span.h"

namespace parquet::arrow {
class FileWriter;
}

namespace quiver::store {

class DatasetStore;

/// \brief One upload in progress: batches stream into a temporary Parquet file that
/// becomes the dataset only on Commit().
///
/// Until Commit() succeeds nothing is visible to readers, and the previous version of
/// the dataset (if any) stays intact. Destroying an upload that was not committed aborts
/// it and removes its temporary file. Concurrent uploads of the same name each write
/// their own file; the last to commit wins whole.
///
/// Not thread-safe: one upload is driven by one thread. Parquet encoding runs on the
/// upload's own background thread (WriteOptions::pipeline_batches), overlapping with
/// the caller's receiving and validating. Made by DatasetStore::BeginUpload.
class DatasetUpload {
 public:
  ~DatasetUpload();
  DatasetUpload(const DatasetUpload&) = delete;
  DatasetUpload& operator=(const DatasetUpload&) = delete;

  const DatasetName& name() const { return name_; }
  const std::shared_ptr<arrow::Schema>& schema() const { return schema_; }
  int64_t rows_written() const { return rows_; }

  /// \brief Append a batch (kept alive until encoded).
  /// \return Invalid if the batch does not match the declared schema or is malformed,
  /// or the error of an earlier batch's encoding; the upload is then unusable.
  arrow::Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// \brief Finish the file, make it durable and atomically publish it as the dataset.
  arrow::Result<DatasetInfo> Commit();

  /// \brief Give up: remove the temporary file. Idempotent.
  void Abort();

 private:
  friend class DatasetStore;
  DatasetUpload(std::shared_ptr<DatasetStore> store, DatasetName name,
                std::shared_ptr<arrow::Schema> schema, std::string temp_path,
                std::shared_ptr<arrow::io::OutputStream> sink,
                std::unique_ptr<parquet::arrow::FileWriter> writer);

  arrow::Status Fail(arrow::Status status);
  /// Encode one batch into the Parquet writer. Runs on the background thread (or
  /// inline without one); never calls Fail().
  arrow::Status Encode(const std::shared_ptr<arrow::RecordBatch>& batch);
  void EndWriteSpan(const arrow::Status& status);

  std::shared_ptr<DatasetStore> store_;
  DatasetName name_;
  std::shared_ptr<arrow::Schema> schema_;
  std::string temp_path_;
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
  int64_t rows_ = 0;
  int64_t row_group_bytes_ = 0;
  bool done_ = false;
  /// "parquet.write": from BeginUpload to the closed file (see upload_tracing.cc).
  telemetry::Span write_span_;
  double write_seconds_ = 0;
  /// Declared last: destroyed (cancelled and joined) first.
  std::unique_ptr<BackgroundWriter> background_;
};

}  // namespace quiver::store
