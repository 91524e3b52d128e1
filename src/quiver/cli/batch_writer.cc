#include <arrow/csv/writer.h>
#include <arrow/ipc/writer.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "quiver/cli/batch_writer_internal.h"
#include "quiver/cli/json_lines_writer_internal.h"

namespace quiver::cli {
namespace {

constexpr int64_t kParquetRowGroupRows = 256 * 1024;

/// CSV and Arrow IPC: Arrow's ipc::RecordBatchWriter interface.
class ArrowBatchWriter : public BatchWriter {
 public:
  explicit ArrowBatchWriter(std::shared_ptr<arrow::ipc::RecordBatchWriter> writer)
      : writer_(std::move(writer)) {}
  arrow::Status Write(const arrow::RecordBatch& batch) override {
    return writer_->WriteRecordBatch(batch);
  }
  arrow::Status Close() override { return writer_->Close(); }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
};

class ParquetBatchWriter : public BatchWriter {
 public:
  explicit ParquetBatchWriter(std::unique_ptr<parquet::arrow::FileWriter> writer)
      : writer_(std::move(writer)) {}
  arrow::Status Write(const arrow::RecordBatch& batch) override {
    return writer_->WriteRecordBatch(batch);
  }
  arrow::Status Close() override { return writer_->Close(); }

 private:
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
};

}  // namespace

arrow::Result<std::unique_ptr<BatchWriter>> MakeBatchWriter(
    FileFormat format, std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema) {
  switch (format) {
    case FileFormat::kParquet: {
      auto properties = parquet::WriterProperties::Builder()
                            .max_row_group_length(kParquetRowGroupRows)
                            ->compression(arrow::Compression::ZSTD)
                            ->build();
      auto arrow_properties =
          parquet::ArrowWriterProperties::Builder().store_schema()->build();
      ARROW_ASSIGN_OR_RAISE(auto writer,
                            parquet::arrow::FileWriter::Open(
                                *schema, arrow::default_memory_pool(), std::move(sink),
                                properties, arrow_properties));
      return std::make_unique<ParquetBatchWriter>(std::move(writer));
    }
    case FileFormat::kCsv: {
      ARROW_ASSIGN_OR_RAISE(auto writer,
                            arrow::csv::MakeCSVWriter(std::move(sink), schema));
      return std::make_unique<ArrowBatchWriter>(std::move(writer));
    }
    case FileFormat::kArrow: {
      ARROW_ASSIGN_OR_RAISE(auto writer,
                            arrow::ipc::MakeFileWriter(std::move(sink), schema));
      return std::make_unique<ArrowBatchWriter>(std::move(writer));
    }
    case FileFormat::kJson:
      return MakeJsonLinesWriter(std::move(sink), schema);
  }
  return arrow::Status::Invalid("unknown output format");
}

}  // namespace quiver::cli
