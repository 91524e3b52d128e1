#include <optional>

#include <unistd.h>

#include <arrow/ipc/dictionary.h>
#include <arrow/util/byte_size.h>

#include "quiver/cli/batch_writer_internal.h"
#include "quiver/cli/commands_internal.h"
#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/human_units_internal.h"
#include "quiver/cli/interrupt_internal.h"
#include "quiver/cli/ordered_endpoint_reader_internal.h"
#include "quiver/cli/output_target_internal.h"
#include "quiver/cli/progress_internal.h"

namespace quiver::cli {
namespace {

arrow::Result<FileFormat> ChooseFormat(const GetOptions& options) {
  if (!options.format.empty()) return ParseFormatName(options.format);
  if (options.output == "-") return FileFormat::kCsv;
  if (auto format = FormatFromExtension(options.output)) return *format;
  return arrow::Status::Invalid(
      "cannot tell the format of '", options.output,
      "' from its extension; add --format parquet|csv|json|arrow");
}

arrow::Status WriteError(const arrow::Status& status, const std::string& output) {
  return WithExitCode(
      ExitCode::kError,
      status.WithMessage("cannot write ",
                         output == "-" ? std::string("stdout") : "'" + output + "'", ": ",
                         status.message()));
}

/// Stream every endpoint of `info` into `options.output` through a writer of `format`,
/// in endpoint order (read `options.read.parallel` at a time).
arrow::Status Download(client::QuiverClient& client,
                       const arrow::flight::FlightInfo& info, const GetOptions& options,
                       FileFormat format, bool show_progress,
                       const arrow::StopToken& stop, std::ostream& out) {
  ProgressBar progress(show_progress, "get " + options.name, -1, info.total_records());
  int64_t rows = 0;
  int64_t bytes = 0;
  OrderedReadOptions read_options;
  read_options.parallel = options.read.parallel;
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
  auto made = MakeBatchWriter(format, target->stream(), schema);
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
  if (options.output != "-") {
    auto version = client::VersionOf(info);
    out << "got " << options.name;
    if (version.ok()) out << " version " << version->version;
    out << ": " << FormatCount(rows) << " rows to " << options.output << " ("
        << FormatName(format) << ")\n";
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status RunGet(Session& session, const GetOptions& options, std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(FileFormat format, ChooseFormat(options));
  if (options.output == "-" && isatty(STDOUT_FILENO) &&
      (format == FileFormat::kParquet || format == FileFormat::kArrow)) {
    return arrow::Status::Invalid("not writing binary ", FormatName(format),
                                  " to a terminal; use -o FILE or redirect stdout");
  }
  ARROW_RETURN_NOT_OK(ToSelector(options.at).status());  // a bad --as-of: no call
  ARROW_ASSIGN_OR_RAISE(auto read, CheckReadChoice(options.read));
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto info,
                        GetSelectedInfo(*client, options.name, options.at, read));

  ARROW_ASSIGN_OR_RAISE(auto interrupt, InterruptGuard::Make());
  client->SetStopToken(interrupt.token());
  // On stdout, a bar only when the data goes elsewhere than the terminal.
  bool show_progress =
      session.ShowProgress() && (options.output != "-" || !isatty(STDOUT_FILENO));
  auto status =
      Download(*client, info, options, format, show_progress, interrupt.token(), out);
  client->SetStopToken({});
  if (!status.ok() && interrupt.token().IsStopRequested()) {
    return WithExitCode(
        ExitCode::kInterrupted,
        arrow::Status::Cancelled("get of '", options.name, "' interrupted",
                                 options.output == "-"
                                     ? std::string()
                                     : "; " + options.output + " was not written"));
  }
  return status;
}

}  // namespace quiver::cli
