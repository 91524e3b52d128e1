#include "quiver/store/parquet/part_writer.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>
#include <arrow/type.h>
#include <arrow/util/byte_size.h>
#include <parquet/arrow/writer.h>
#include <parquet/metadata.h>

#include "quiver/store/fs/durability.h"
#include "quiver/store/model/storage_type.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/marked_output_stream.h"
#include "quiver/store/parquet/parquet_format.h"
#include "quiver/store/parquet/part_stats_internal.h"
#include "quiver/telemetry/active_span.h"
#include "quiver/telemetry/span_timer.h"

namespace quiver::store {
namespace {

/// An error of Parquet's writer: a storage failure when its sink raised it (the sink
/// marks its errors), else about the client's data or types (e.g. NotImplemented for a
/// type it cannot encode), never the store's fault.
arrow::Status WriterError(const arrow::Status& status, const DatasetName& name) {
  if (IsStorageFailure(status)) return StorageError(status, "write", name);
  return UnstorableData(status, name);
}

}  // namespace

PartWriter::PartWriter(std::shared_ptr<arrow::fs::FileSystem> fs, std::string path,
                       std::string file, DatasetName name,
                       std::shared_ptr<arrow::Schema> schema, const WriteOptions& options)
    : fs_(std::move(fs)),
      path_(std::move(path)),
      file_(std::move(file)),
      name_(std::move(name)),
      schema_(std::move(schema)),
      options_(options) {}

arrow::Result<std::unique_ptr<PartWriter>> PartWriter::Open(
    std::shared_ptr<arrow::fs::FileSystem> fs, std::string path, std::string file,
    DatasetName name, std::shared_ptr<arrow::Schema> schema,
    const WriteOptions& options) {
  if (options.row_group_max_rows <= 0) {
    return arrow::Status::Invalid("row groups need room for at least one row");
  }
  std::unique_ptr<PartWriter> part(new PartWriter(std::move(fs), std::move(path),
                                                  std::move(file), std::move(name),
                                                  std::move(schema), options));
  // The span covers the whole upload; the object-store requests made while it is
  // active (S3 roots) are its children.
  part->span_ = telemetry::StartSpan("parquet.write");
  part->span_.SetAttribute("quiver.dataset", part->name_.ToString());
  telemetry::ScopedActiveSpan active(part->span_);
  // Types that cannot be stored even encoded are refused before anything is written.
  auto storage = StorageSchema::Make(part->schema_);
  if (!storage.ok()) {
    part->done_ = true;
    return arrow::Status::Invalid("cannot store schema of '", part->name_.ToString(),
                                  "' as Parquet: ", storage.status().message());
  }
  auto sink = part->fs_->OpenOutputStream(part->path_);
  if (!sink.ok()) {
    part->done_ = true;
    return StorageError(sink.status(), "upload", part->name_);
  }
  // Marked: Parquet's writer forwards the sink's errors (storage failures) among its
  // own (about the data).
  part->sink_ = MarkStorageFailures(std::move(*sink));
  auto writer = OpenParquetWriter(storage->stored(), part->sink_, options);
  if (!writer.ok() && IsStorageFailure(writer.status())) {
    return StorageError(writer.status(), "upload", part->name_);
  }
  if (!writer.ok()) {
    // Schemas Parquet cannot store are the client's problem, not a storage failure.
    return arrow::Status::Invalid("cannot store schema of '", part->name_.ToString(),
                                  "' as Parquet: ", writer.status().message());
  }
  part->writer_ = std::move(*writer);
  if (options.pipeline_batches > 0) {
    PartWriter* self = part.get();
    part->background_ = std::make_unique<BackgroundWriter>(
        [self](const std::shared_ptr<arrow::RecordBatch>& batch) {
          return self->Encode(batch);
        },
        static_cast<size_t>(options.pipeline_batches));
  }
  return part;
}

PartWriter::~PartWriter() { Abort(); }

void PartWriter::EndSpan(const arrow::Status& status) {
  if (!span_.recording()) return;
  span_.SetAttribute("quiver.rows", rows_);
  span_.SetAttribute("quiver.write_seconds", write_seconds_);
  span_.RecordError(status);
  span_.End();
}

arrow::Status PartWriter::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (done_) return arrow::Status::Invalid("part of '", name_.ToString(), "' is closed");
  if (batch->num_rows() == 0) return arrow::Status::OK();
  rows_ += batch->num_rows();
  if (background_) return background_->Push(batch);  // its requests are not traced
  telemetry::ScopedActiveSpan active(span_);
  return Encode(batch);
}

arrow::Status PartWriter::CloseRowGroup() {
  // Closing this row group hands its pages to the sink. On an object store the sink
  // uploads them as multipart parts in the background: first wait for the previous
  // row group's, so that at most one row group is ever in flight (bounded memory).
  // A local file has nothing to wait for.
  auto st = sink_->Flush();
  if (st.ok()) st = writer_->NewBufferedRowGroup();
  if (!st.ok()) return WriterError(st, name_);
  row_group_rows_ = 0;
  row_group_bytes_ = 0;
  return arrow::Status::OK();
}

arrow::Status PartWriter::Encode(const std::shared_ptr<arrow::RecordBatch>& batch) {
  telemetry::SpanTimer timer(span_, &write_seconds_);
  // Encoding errors are the batch's (Invalid), not the storage's.
  ARROW_ASSIGN_OR_RAISE(auto stored, EncodeBatch(batch, writer_->schema()));
  const int64_t rows = stored->num_rows();
  const int64_t bytes = arrow::util::TotalBufferSize(*batch);
  // The batch is cut where a row group reaches its row bound; its bytes are counted in
  // proportion to the rows of each piece.
  for (int64_t offset = 0; offset < rows;) {
    // A full row group is closed when more rows come, so that the file never ends
    // with an empty one.
    if (row_group_rows_ >= options_.row_group_max_rows ||
        row_group_bytes_ >= options_.row_group_target_bytes) {
      ARROW_RETURN_NOT_OK(CloseRowGroup());
    }
    const int64_t n =
        std::min(rows - offset, options_.row_group_max_rows - row_group_rows_);
    auto st = n == rows ? writer_->WriteRecordBatch(*stored)
                        : writer_->WriteRecordBatch(*stored->Slice(offset, n));
    if (!st.ok()) return WriterError(st, name_);
    row_group_rows_ += n;
    row_group_bytes_ += static_cast<int64_t>(
        static_cast<double>(bytes) * static_cast<double>(n) / static_cast<double>(rows));
    offset += n;
  }
  return arrow::Status::OK();
}

arrow::Result<PartInfo> PartWriter::Finish() {
  if (done_) return arrow::Status::Invalid("part of '", name_.ToString(), "' is closed");
  arrow::Status st = background_ ? background_->Finish() : arrow::Status::OK();
  int64_t size = 0;
  if (st.ok()) {
    telemetry::SpanTimer timer(span_, &write_seconds_);
    telemetry::ScopedActiveSpan active(span_);
    st = writer_->Close();
    if (st.ok()) {
      auto position = sink_->Tell();
      st = position.status();
      if (st.ok()) size = *position;
    }
    if (st.ok() && !sink_->closed()) st = sink_->Close();
    if (!st.ok()) st = WriterError(st, name_);
  }
  if (st.ok()) {
    st = SyncFile(*fs_, path_);
    if (!st.ok()) st = StorageError(st, "write", name_);
  }
  if (!st.ok()) {
    EndSpan(st);
    Abort();
    return st;
  }
  PartInfo part;
  part.file = file_;
  part.bytes = size;
  auto metadata = writer_->metadata();
  part.num_rows = metadata ? metadata->num_rows() : rows_;
  part.row_groups = metadata ? metadata->num_row_groups() : 0;
  if (metadata) part.stats = SummarizeStatistics(*metadata, *NativeFields(*schema_));
  EndSpan(st);
  done_ = true;
  return part;
}

void PartWriter::Abort() {
  if (done_) return;
  done_ = true;
  if (background_) background_->Cancel();
  EndSpan(arrow::Status::Cancelled("upload of '", name_.ToString(), "' aborted"));
  // The sink goes first: the Parquet writer's destructor closes the file, writing the
  // buffered row group and a footer; on an object store, closing the sink would then
  // complete the upload and publish a partial part. Aborted, it takes no more writes,
  // and an object-store upload leaves no object (Finish may have completed one, though).
  const bool aborted = sink_ && !sink_->closed();
  if (aborted) (void)sink_->Abort();
  writer_.reset();
  if (aborted && !LocalPathOf(*fs_, path_)) return;
  auto st = fs_->DeleteFile(path_);
  if (!st.ok()) spdlog::warn("store: cannot remove {}: {}", path_, st.ToString());
}

}  // namespace quiver::store
