#include "quiver/store/parquet/parquet_format.h"

#include <arrow/io/interfaces.h>
#include <arrow/memory_pool.h>
#include <arrow/util/async_generator.h>
#include <arrow/util/iterator.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/properties.h>

#include "quiver/store/parquet/type_restore_internal.h"

namespace quiver::store {
namespace {

/// Keeps the parquet::arrow::FileReader alive as long as the batch reader it made.
class OwningParquetReader : public arrow::RecordBatchReader {
 public:
  OwningParquetReader(std::unique_ptr<parquet::arrow::FileReader> file_reader,
                      std::unique_ptr<arrow::RecordBatchReader> batches)
      : file_reader_(std::move(file_reader)), batches_(std::move(batches)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return batches_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    return batches_->ReadNext(batch);
  }

  arrow::Status Close() override { return batches_->Close(); }

 private:
  std::unique_ptr<parquet::arrow::FileReader> file_reader_;
  std::unique_ptr<arrow::RecordBatchReader> batches_;
};

arrow::Result<std::unique_ptr<parquet::arrow::FileReader>> MakeFileReader(
    std::shared_ptr<arrow::io::RandomAccessFile> file,
    const parquet::ArrowReaderProperties& arrow_properties,
    std::shared_ptr<parquet::FileMetaData> footer = nullptr) {
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Open(std::move(file), parquet::default_reader_properties(),
                                   std::move(footer)));
  builder.properties(arrow_properties)->memory_pool(arrow::default_memory_pool());
  return builder.Build();
}

}  // namespace

arrow::Result<std::unique_ptr<parquet::arrow::FileWriter>> OpenParquetWriter(
    const std::shared_ptr<arrow::Schema>& schema,
    const std::shared_ptr<arrow::io::OutputStream>& sink, const WriteOptions& options) {
  if (schema->num_fields() == 0) {
    // A row group without column chunks has no rows: Parquet would store 0 rows where
    // the client sent some (found by fuzz_ipc_upload).
    return arrow::Status::Invalid(
        "a dataset needs at least one column (Parquet keeps no rows without columns)");
  }
  // Page indexes are explicit: Arrow's default for them has changed between releases.
  auto properties = parquet::WriterProperties::Builder()
                        .compression(options.compression)
                        ->max_row_group_length(options.row_group_max_rows)
                        ->dictionary_pagesize_limit(options.dictionary_page_limit_bytes)
                        ->enable_statistics()
                        ->enable_write_page_index()
                        ->build();
  // Columns are encoded in parallel on Arrow's CPU pool. Safe from deadlock because
  // uploads run on Flight's threads, never on that pool.
  auto arrow_properties = parquet::ArrowWriterProperties::Builder()
                              .store_schema()
                              ->set_use_threads(options.use_threads)
                              ->build();
  // Converted first, apart from opening (which writes the magic bytes), so that a
  // schema Parquet cannot store is told from a failing sink: Invalid only for the former.
  std::shared_ptr<parquet::SchemaDescriptor> descriptor;
  auto converted = parquet::arrow::ToParquetSchema(schema.get(), *properties,
                                                   *arrow_properties, &descriptor);
  if (!converted.ok()) return arrow::Status::Invalid(converted.message());
  return parquet::arrow::FileWriter::Open(*schema, arrow::default_memory_pool(), sink,
                                          properties, arrow_properties);
}

arrow::Result<std::unique_ptr<parquet::arrow::FileReader>> OpenParquetFileReader(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadOptions& options,
    const FooterSlot& footer) {
  parquet::ArrowReaderProperties arrow_properties;
  arrow_properties.set_batch_size(options.batch_size);
  arrow_properties.set_use_threads(options.use_threads);
  // No pre-buffering: for a whole-file reader Arrow pre-buffers every row group at
  // once, which held the entire file in memory (575 MiB for a 1 GiB dataset).
  arrow_properties.set_pre_buffer(false);
  std::shared_ptr<parquet::FileMetaData> cached;
  if (footer.cache != nullptr) cached = footer.cache->Get(footer.key);
  bool known = cached != nullptr;
  ARROW_ASSIGN_OR_RAISE(
      auto reader, MakeFileReader(std::move(file), arrow_properties, std::move(cached)));
  if (footer.cache != nullptr && !known) {
    footer.cache->Put(footer.key, reader->parquet_reader()->metadata());
  }
  return reader;
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> WithReadahead(
    std::shared_ptr<arrow::RecordBatchReader> reader, const ReadOptions& options) {
  if (options.readahead_batches <= 0) return reader;
  // Decode the next batches on a background thread while the caller ships this one.
  auto schema = reader->schema();
  ARROW_ASSIGN_OR_RAISE(
      auto readahead, arrow::MakeReadaheadIterator(arrow::MakeIteratorFromReader(reader),
                                                   options.readahead_batches));
  return arrow::RecordBatchReader::MakeFromIterator(std::move(readahead),
                                                    std::move(schema));
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParquetReader(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadOptions& options,
    const FooterSlot& footer) {
  ARROW_ASSIGN_OR_RAISE(auto file_reader,
                        OpenParquetFileReader(std::move(file), options, footer));
  ARROW_ASSIGN_OR_RAISE(auto batches, file_reader->GetRecordBatchReader());
  ARROW_ASSIGN_OR_RAISE(
      auto restorer,
      TypeRestorer::Make(*file_reader->parquet_reader()->metadata(), batches->schema()));
  std::shared_ptr<arrow::RecordBatchReader> reader = MakeRestoringReader(
      std::make_shared<OwningParquetReader>(std::move(file_reader), std::move(batches)),
      std::move(restorer));
  return WithReadahead(std::move(reader), options);
}

arrow::Result<ParquetSummary> ReadParquetSummary(
    std::shared_ptr<arrow::io::RandomAccessFile> file) {
  ARROW_ASSIGN_OR_RAISE(
      auto file_reader,
      MakeFileReader(std::move(file), parquet::ArrowReaderProperties()));
  ParquetSummary summary;
  ARROW_RETURN_NOT_OK(file_reader->GetSchema(&summary.schema));
  auto metadata = file_reader->parquet_reader()->metadata();
  ARROW_ASSIGN_OR_RAISE(auto restorer, TypeRestorer::Make(*metadata, summary.schema));
  summary.schema = restorer.schema();
  summary.num_rows = metadata->num_rows();
  summary.num_row_groups = metadata->num_row_groups();
  return summary;
}

}  // namespace quiver::store
