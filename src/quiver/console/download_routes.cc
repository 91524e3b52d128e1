#include <spdlog/spdlog.h>

#include <arrow/csv/writer.h>
#include <arrow/ipc/writer.h>
#include <arrow/record_batch.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/console/sink_stream_internal.h"
#include "quiver/store/dataset_store.h"

namespace quiver::console {

arrow::Status SinkOutputStream::Write(const void* data, int64_t nbytes) {
  if (closed_) return arrow::Status::Invalid("write to a closed download stream");
  if (nbytes > 0 &&
      !sink_->write(static_cast<const char*>(data), static_cast<size_t>(nbytes))) {
    return arrow::Status::IOError("the client closed the download");
  }
  position_ += nbytes;
  return arrow::Status::OK();
}

namespace {

using server::Operation;

enum class Format { kParquet, kCsv, kArrow };

arrow::Result<Format> ParseFormat(const std::string& text) {
  if (text.empty() || text == "parquet") return Format::kParquet;
  if (text == "csv") return Format::kCsv;
  if (text == "arrow") return Format::kArrow;
  return arrow::Status::Invalid("query parameter 'format' must be parquet, csv or arrow");
}

/// Rows per Parquet row group written to a download: what the writer buffers.
constexpr int64_t kDownloadRowGroupRows = 64 * 1024;

/// Stream every batch of `reader` into `out` in `format`.
arrow::Status WriteAll(Format format, arrow::RecordBatchReader& reader,
                       const std::shared_ptr<arrow::io::OutputStream>& out) {
  auto schema = reader.schema();
  switch (format) {
    case Format::kParquet: {
      auto properties = parquet::WriterProperties::Builder()
                            .compression(parquet::Compression::ZSTD)
                            ->max_row_group_length(kDownloadRowGroupRows)
                            ->build();
      auto arrow_properties =
          parquet::ArrowWriterProperties::Builder().store_schema()->build();
      ARROW_ASSIGN_OR_RAISE(auto writer, parquet::arrow::FileWriter::Open(
                                             *schema, arrow::default_memory_pool(), out,
                                             properties, arrow_properties));
      while (true) {
        ARROW_ASSIGN_OR_RAISE(auto batch, reader.Next());
        if (batch == nullptr) break;
        ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
      }
      return writer->Close();
    }
    case Format::kCsv: {
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::csv::MakeCSVWriter(out, schema));
      while (true) {
        ARROW_ASSIGN_OR_RAISE(auto batch, reader.Next());
        if (batch == nullptr) break;
        ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
      }
      return writer->Close();
    }
    case Format::kArrow: {
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeStreamWriter(out, schema));
      while (true) {
        ARROW_ASSIGN_OR_RAISE(auto batch, reader.Next());
        if (batch == nullptr) break;
        ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
      }
      return writer->Close();
    }
  }
  return arrow::Status::OK();
}

/// `filename*` of Content-Disposition (RFC 6266/8187): the last segment of the name,
/// percent-encoded, so that no quote or non-ASCII byte reaches the header as it is.
std::string Attachment(const store::DatasetName& name, Format format) {
  std::string file = name.segments().back();
  const char* extension = format == Format::kParquet ? ".parquet"
                          : format == Format::kCsv   ? ".csv"
                                                     : ".arrows";
  if (file.size() < 8 || file.substr(file.size() - 8) != ".parquet" ||
      format != Format::kParquet) {
    file += extension;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : file) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename*=UTF-8''" + encoded;
}

/// GET /api/download?name=N[&version=V][&format=parquet|csv|arrow]: a version streamed
/// as it is read (a DoGet written as a file): memory stays about one row group.
arrow::Status Download(const store::DatasetStore& store, const httplib::Request& request,
                       httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto name, NameParam(request));
  ARROW_ASSIGN_OR_RAISE(auto version, IntParam(request, "version", 1, INT64_MAX));
  ARROW_ASSIGN_OR_RAISE(auto format, ParseFormat(request.get_param_value("format")));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kDoGet, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, VersionOf(store, name, version));
  // Opened now: the version is pinned against garbage collection from here, and an
  // error is still answered as one (the headers are not sent yet).
  ARROW_ASSIGN_OR_RAISE(auto reader, store.OpenReader(info));
  const char* type = format == Format::kParquet ? "application/vnd.apache.parquet"
                     : format == Format::kCsv   ? "text/csv; charset=utf-8"
                                                : "application/vnd.apache.arrow.stream";
  response.set_header("Content-Disposition", Attachment(name, format));
  response.set_header("X-Quiver-Version", std::to_string(info.version));
  std::string shown = name.ToString();
  response.set_chunked_content_provider(
      type, [reader, format, shown](size_t, httplib::DataSink& sink) {
        auto out = std::make_shared<SinkOutputStream>(&sink);
        auto status = WriteAll(format, *reader, out);
        (void)reader->Close();
        if (!status.ok()) {
          // Headers are gone: the client sees a truncated transfer (no final chunk).
          spdlog::warn("console: download of dataset '{}' ended early: {}", shown,
                       status.ToString());
          return false;
        }
        sink.done();
        return true;
      });
  return arrow::Status::OK();
}

}  // namespace

void AddDownloadRoutes(httplib::Server& server, const RouteContext& context) {
  auto store = context.store;
  server.Get("/api/download",
             Api(context, false,
                 [store](const httplib::Request& request, httplib::Response& response,
                         const Caller& caller) {
                   return Download(*store, request, response, caller);
                 }));
}

}  // namespace quiver::console
