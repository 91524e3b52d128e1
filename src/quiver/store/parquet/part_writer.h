#pragma once

#include <memory>
#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/io/type_fwd.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/manifest.h"
#include "quiver/store/parquet/background_writer.h"
#include "quiver/store/parquet/part_options.h"
#include "quiver/telemetry/span.h"

namespace parquet::arrow {
class FileWriter;
}

namespace quiver::store {

/// \brief Streams batches into one new, immutable Parquet part file.
///
/// A row group holds at most WriteOptions::row_group_max_rows rows (batches are cut at
/// that bound) and closes past WriteOptions::row_group_target_bytes of Arrow data, so
/// memory stays about one encoded row group plus the queued batches, and a part of N
/// rows written in batches of any size has ceil(N / row_group_max_rows) row groups when
/// the byte bound is not reached first. Encoding runs on the writer's own
/// thread when WriteOptions::pipeline_batches > 0. Finish() makes the file durable and
/// describes it; a writer destroyed unfinished deletes its file.
///
/// Not thread-safe: driven by one thread.
class PartWriter {
 public:
  /// \param path where the part goes (inside the dataset's parts directory).
  /// \param file the part's file name, as manifests record it.
  /// \param name the dataset, for error messages and spans.
  static arrow::Result<std::unique_ptr<PartWriter>> Open(
      std::shared_ptr<arrow::fs::FileSystem> fs, std::string path, std::string file,
      DatasetName name, std::shared_ptr<arrow::Schema> schema,
      const WriteOptions& options);

  ~PartWriter();
  PartWriter(const PartWriter&) = delete;
  PartWriter& operator=(const PartWriter&) = delete;

  /// \brief Encode a batch (kept alive until encoded). The batch must match the
  /// schema; validation is the caller's. \return the first encoding error, if any.
  arrow::Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// \brief Close the file, fsync it and its directory. \return the part's entry.
  arrow::Result<PartInfo> Finish();

  /// \brief Give up and delete the file. Idempotent.
  void Abort();

  int64_t rows() const { return rows_; }
  const std::string& path() const { return path_; }

 private:
  PartWriter(std::shared_ptr<arrow::fs::FileSystem> fs, std::string path,
             std::string file, DatasetName name, std::shared_ptr<arrow::Schema> schema,
             const WriteOptions& options);
  arrow::Status Encode(const std::shared_ptr<arrow::RecordBatch>& batch);
  /// Flush the row group being written and start the next one.
  arrow::Status CloseRowGroup();
  void EndSpan(const arrow::Status& status);

  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::string path_;
  std::string file_;
  DatasetName name_;
  std::shared_ptr<arrow::Schema> schema_;
  WriteOptions options_;
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
  int64_t rows_ = 0;
  /// Rows and Arrow bytes in the row group being written.
  int64_t row_group_rows_ = 0;
  int64_t row_group_bytes_ = 0;
  bool done_ = false;
  /// "parquet.write": from Open to the closed file.
  telemetry::Span span_;
  double write_seconds_ = 0;
  /// Declared last: destroyed (cancelled and joined) first.
  std::unique_ptr<BackgroundWriter> background_;
};

}  // namespace quiver::store
