#include <cerrno>
#include <cstring>
#include <filesystem>

#include <unistd.h>

#include <arrow/csv/reader.h>
#include <arrow/io/buffered.h>
#include <arrow/io/file.h>
#include <arrow/io/stdio.h>
#include <arrow/ipc/reader.h>
#include <arrow/json/reader.h>
#include <parquet/arrow/reader.h>
#include <parquet/file_reader.h>
#include <parquet/properties.h>

#include "quiver/cli/counting_input_stream_internal.h"
#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/input_source_internal.h"

namespace quiver::cli {
namespace {

constexpr int64_t kBatchRows = 64 * 1024;
constexpr int64_t kPeekBytes = 8;

/// Reads an Arrow IPC file batch after batch.
class IpcFileBatchReader : public arrow::RecordBatchReader {
 public:
  explicit IpcFileBatchReader(std::shared_ptr<arrow::ipc::RecordBatchFileReader> file)
      : file_(std::move(file)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return file_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    if (next_ >= file_->num_record_batches()) {
      batch->reset();
      return arrow::Status::OK();
    }
    return file_->ReadRecordBatch(next_++).Value(batch);
  }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchFileReader> file_;
  int next_ = 0;
};

arrow::Result<InputSource> OpenParquet(
    std::shared_ptr<arrow::io::RandomAccessFile> file) {
  parquet::ReaderProperties properties;
  properties.enable_buffered_stream();  // read pages, not whole column chunks
  parquet::ArrowReaderProperties arrow_properties;
  arrow_properties.set_pre_buffer(false);  // pre-buffering holds a row group
  arrow_properties.set_batch_size(kBatchRows);
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Open(std::move(file), properties));
  builder.properties(arrow_properties);
  ARROW_ASSIGN_OR_RAISE(auto reader, builder.Build());
  InputSource source;
  source.format = FileFormat::kParquet;
  source.total_rows = reader->parquet_reader()->metadata()->num_rows();
  ARROW_ASSIGN_OR_RAISE(auto batches, reader->GetRecordBatchReader());
  // The batch reader does not own the FileReader: keep it alive alongside.
  std::shared_ptr<parquet::arrow::FileReader> owner(std::move(reader));
  std::shared_ptr<arrow::RecordBatchReader> inner(std::move(batches));
  source.reader = std::shared_ptr<arrow::RecordBatchReader>(
      inner.get(), [owner, inner](arrow::RecordBatchReader*) mutable {
        inner.reset();
        owner.reset();
      });
  return source;
}

arrow::Result<InputSource> OpenIpcFile(
    std::shared_ptr<arrow::io::RandomAccessFile> file) {
  ARROW_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchFileReader::Open(file));
  InputSource source;
  source.format = FileFormat::kArrow;
  ARROW_ASSIGN_OR_RAISE(source.total_rows, reader->CountRows());
  source.reader = std::make_shared<IpcFileBatchReader>(std::move(reader));
  return source;
}

/// CSV, JSON lines and Arrow IPC streams: read front to back. Progress counts the
/// bytes the reader has turned into batches (CSV and JSON read ahead of that).
arrow::Result<InputSource> OpenStream(std::shared_ptr<arrow::io::InputStream> stream,
                                      FileFormat format, int64_t size) {
  InputSource source;
  source.format = format;
  source.total_bytes = size;
  switch (format) {
    case FileFormat::kCsv: {
      ARROW_ASSIGN_OR_RAISE(
          auto csv,
          arrow::csv::StreamingReader::Make(
              arrow::io::default_io_context(), std::move(stream),
              arrow::csv::ReadOptions::Defaults(), arrow::csv::ParseOptions::Defaults(),
              arrow::csv::ConvertOptions::Defaults()));
      source.bytes_read = [csv] { return csv->bytes_read(); };
      source.reader = std::move(csv);
      break;
    }
    case FileFormat::kJson: {
      ARROW_ASSIGN_OR_RAISE(auto json,
                            arrow::json::StreamingReader::Make(
                                std::move(stream), arrow::json::ReadOptions::Defaults(),
                                arrow::json::ParseOptions::Defaults()));
      source.bytes_read = [json] { return json->bytes_processed(); };
      source.reader = std::move(json);
      break;
    }
    case FileFormat::kArrow: {
      auto counting = std::make_shared<CountingInputStream>(std::move(stream));
      ARROW_ASSIGN_OR_RAISE(source.reader,
                            arrow::ipc::RecordBatchStreamReader::Open(counting));
      source.bytes_read = [counting] { return counting->bytes_read(); };
      break;
    }
    case FileFormat::kParquet:
      return arrow::Status::Invalid("Parquet needs random access");
  }
  return source;
}

/// Copy stdin to an unlinked temporary file (in $TMPDIR, else the system's temporary
/// directory), for formats that need random access.
arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> SpoolToTempFile(
    arrow::io::InputStream& input) {
  std::error_code error;
  auto dir = std::filesystem::temp_directory_path(error);
  if (error) {
    return arrow::Status::IOError("no temporary directory: ", error.message());
  }
  std::string pattern = (dir / "quiver-stdin-XXXXXX").string();
  int fd = mkstemp(pattern.data());
  if (fd < 0) {
    return arrow::Status::IOError("cannot create a temporary file in ", dir.string(),
                                  ": ", std::strerror(errno));
  }
  unlink(pattern.c_str());
  auto copied = [&]() -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(auto out, arrow::io::FileOutputStream::Open(dup(fd)));
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto chunk, input.Read(1 << 20));
      if (chunk->size() == 0) break;
      ARROW_RETURN_NOT_OK(out->Write(chunk));
    }
    return out->Close();
  }();
  if (!copied.ok()) {
    close(fd);
    return copied;
  }
  return arrow::io::ReadableFile::Open(fd);  // takes ownership of fd
}

arrow::Result<InputSource> OpenStdin(std::optional<FileFormat> format) {
  ARROW_ASSIGN_OR_RAISE(
      auto stdin_buffered,
      arrow::io::BufferedInputStream::Create(1 << 16, arrow::default_memory_pool(),
                                             std::make_shared<arrow::io::StdinStream>()));
  ARROW_ASSIGN_OR_RAISE(std::string_view head, stdin_buffered->Peek(kPeekBytes));
  FileFormat chosen = format.value_or(FormatFromMagic(head).value_or(FileFormat::kCsv));
  if (chosen == FileFormat::kParquet ||
      (chosen == FileFormat::kArrow && head.starts_with("ARROW1"))) {
    ARROW_ASSIGN_OR_RAISE(auto file, SpoolToTempFile(*stdin_buffered));
    return chosen == FileFormat::kParquet ? OpenParquet(file) : OpenIpcFile(file);
  }
  return OpenStream(stdin_buffered, chosen, -1);
}

arrow::Result<InputSource> OpenPath(const std::string& path,
                                    std::optional<FileFormat> format) {
  ARROW_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(path));
  ARROW_ASSIGN_OR_RAISE(int64_t size, file->GetSize());
  ARROW_ASSIGN_OR_RAISE(auto head_buffer, file->ReadAt(0, std::min(size, kPeekBytes)));
  std::string_view head(reinterpret_cast<const char*>(head_buffer->data()),
                        static_cast<size_t>(head_buffer->size()));
  ARROW_RETURN_NOT_OK(file->Seek(0));  // streams read from the current position
  if (!format) format = FormatFromExtension(path);
  if (!format) format = FormatFromMagic(head).value_or(FileFormat::kCsv);
  switch (*format) {
    case FileFormat::kParquet:
      return OpenParquet(file);
    case FileFormat::kArrow:
      if (head.starts_with("ARROW1")) return OpenIpcFile(file);
      break;
    default:
      break;
  }
  return OpenStream(file, *format, size);
}

}  // namespace

arrow::Result<InputSource> OpenInput(const std::string& path,
                                     std::optional<FileFormat> format) {
  auto source = path == "-" ? OpenStdin(format) : OpenPath(path, format);
  if (!source.ok()) {
    const auto& status = source.status();
    std::string what = path == "-" ? std::string("stdin") : "'" + path + "'";
    return WithExitCode(ExitCode::kBadInput,
                        status.WithMessage("cannot read ", what, ": ", status.message()));
  }
  return source;
}

}  // namespace quiver::cli
