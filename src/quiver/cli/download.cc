#include <memory>
#include <optional>

#include <unistd.h>

#include <arrow/ipc/dictionary.h>
#include <arrow/util/byte_size.h>

#include "quiver/cli/batch_writer_internal.h"
#include "quiver/cli/download_internal.h"
#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/interrupt_internal.h"
#include "quiver/cli/ordered_endpoint_reader_internal.h"
#include "quiver/cli/output_target_internal.h"
#include "quiver/cli/progress_internal.h"

namespace quiver::cli {
namespace {

arrow::Status WriteError(const arrow::Status& status, const std::string& output) {
  return WithExitCode(
      ExitCode::kError,
      status.WithMessage("cannot write ",
                         output == "-" ? std::string("stdout") : "'" + output + "'", ": ",
                         status.message()));
}

arrow::Result<int64_t> Stream(client::QuiverClient& client,
                              const arrow::flight::FlightInfo& info,
                              const DownloadOptions& options, bool show_progress,
                              const arrow::StopToken& stop) {
  ProgressBar progress(show_progress, options.label, -1, info.total_records());
  int64_t rows = 0;
  int64_t bytes = 0;
  OrderedReadOptions read_options;
  read_options.parallel = options.parallel;
  ARROW_ASSIGN_OR_RAISE(
      auto reader, OrderedEndpointReader::Open(client, info.endpoints(), read_options));
  std::shared_ptr<arrow::Schema> schema;
  if (info.endpoints().empty()) {  // nothing to read (a filter ruled every part out)
    arrow::ipc::DictionaryMemo memo;
    ARROW_ASSIGN_OR_RAISE(schema, info.GetSchema(&memo));
  } else {
    ARROW_ASSIGN_OR_RAISE(schema, reader->schema());
  }
  auto opened = OutputTarget::Open(options.output);
  if (!opened.ok()) return WriteError(opened.status(), options.output);
  std::unique_ptr<OutputTarget> target = std::move(*opened);
  auto made = MakeBatchWriter(options.format, target->stream(), schema);
  if (!made.ok()) return WriteError(made.status(), options.output);
  std::unique_ptr<BatchWriter> writer = std::move(*made);
  while (true) {
    if (stop.IsStopRequested()) {
      reader->Cancel();
      return stop.Poll();
    }
    ARROW_ASSIGN_OR_RAISE(auto batch, reader->Next());
    if (batch == nullptr) break;
    auto written = writer->Write(*batch);
    if (!written.ok()) {
      reader->Cancel();
      return WriteError(written, options.output);
    }
    rows += batch->num_rows();
    bytes += arrow::util::TotalBufferSize(*batch);
    progress.Update(bytes, rows);
  }
  auto closed = writer->Close();
  if (closed.ok()) closed = target->Commit();
  if (!closed.ok()) return WriteError(closed, options.output);
  progress.Finish();
  return rows;
}

}  // namespace

arrow::Result<FileFormat> ChooseOutputFormat(const std::string& format,
                                             const std::string& output) {
  FileFormat chosen = FileFormat::kCsv;
  if (!format.empty()) {
    ARROW_ASSIGN_OR_RAISE(chosen, ParseFormatName(format));
  } else if (output != "-") {
    auto from_extension = FormatFromExtension(output);
    if (!from_extension) {
      return arrow::Status::Invalid(
          "cannot tell the format of '", output,
          "' from its extension; add --format parquet|csv|json|arrow");
    }
    chosen = *from_extension;
  }
  if (output == "-" && isatty(STDOUT_FILENO) &&
      (chosen == FileFormat::kParquet || chosen == FileFormat::kArrow)) {
    return arrow::Status::Invalid("not writing binary ", FormatName(chosen),
                                  " to a terminal; use -o FILE or redirect stdout");
  }
  return chosen;
}

arrow::Result<int64_t> Download(client::QuiverClient& client,
                                const arrow::flight::FlightInfo& info,
                                const DownloadOptions& options) {
  ARROW_ASSIGN_OR_RAISE(auto interrupt, InterruptGuard::Make());
  client.SetStopToken(interrupt.token());
  // On stdout, a bar only when the data goes elsewhere than the terminal.
  bool show_progress =
      options.progress && (options.output != "-" || !isatty(STDOUT_FILENO));
  auto rows = Stream(client, info, options, show_progress, interrupt.token());
  client.SetStopToken({});
  if (!rows.ok() && interrupt.token().IsStopRequested()) {
    return WithExitCode(
        ExitCode::kInterrupted,
        arrow::Status::Cancelled(options.what, " interrupted",
                                 options.output == "-"
                                     ? std::string()
                                     : "; " + options.output + " was not written"));
  }
  return rows;
}

}  // namespace quiver::cli
