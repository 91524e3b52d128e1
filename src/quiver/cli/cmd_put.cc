#include <optional>

#include <arrow/util/byte_size.h>

#include "quiver/cli/commands.h"
#include "quiver/cli/exit_codes.h"
#include "quiver/cli/human_units.h"
#include "quiver/cli/input_source.h"
#include "quiver/cli/interrupt.h"
#include "quiver/cli/progress.h"

namespace quiver::cli {
namespace {

struct PutTotals {
  int64_t rows = 0;
  int64_t bytes = 0;  ///< Arrow bytes sent
};

/// Send every batch of `source` as dataset `name`. Any error before the end (reading
/// the input, sending, Ctrl-C) abandons the upload so that the server does not commit
/// a partial dataset.
arrow::Result<PutTotals> Upload(client::QuiverClient& client, const std::string& path,
                                const std::string& name, client::PutMode mode,
                                InputSource& source, bool show_progress,
                                const arrow::StopToken& stop) {
  ARROW_ASSIGN_OR_RAISE(auto put, client.OpenPut(name, source.reader->schema(), mode));
  ProgressBar progress(show_progress, "put " + name, source.total_bytes,
                       source.total_rows);
  PutTotals totals;
  while (true) {
    if (stop.IsStopRequested()) {
      client::QuiverClient::AbandonPut(std::move(put));
      return WithExitCode(ExitCode::kInterrupted,
                          arrow::Status::Cancelled(
                              "put of '", name, "' interrupted after ",
                              FormatCount(totals.rows), " rows; nothing was stored"));
    }
    auto next = source.reader->Next();
    if (!next.ok()) {
      client::QuiverClient::AbandonPut(std::move(put));
      return WithExitCode(ExitCode::kBadInput,
                          next.status().WithMessage("cannot read '", path, "' after ",
                                                    FormatCount(totals.rows),
                                                    " rows: ", next.status().message(),
                                                    "; nothing was stored"));
    }
    std::shared_ptr<arrow::RecordBatch> batch = std::move(*next);
    if (batch == nullptr) break;
    if (batch->num_rows() == 0) continue;
    if (auto written = put.writer->WriteRecordBatch(*batch); !written.ok()) {
      // Never let the writer's destructor close the stream cleanly (= commit).
      client::QuiverClient::AbandonPut(std::move(put));
      return written;
    }
    totals.rows += batch->num_rows();
    totals.bytes += arrow::util::TotalBufferSize(*batch);
    progress.Update(source.bytes_read ? source.bytes_read() : totals.bytes, totals.rows);
  }
  ARROW_RETURN_NOT_OK(put.writer->DoneWriting());
  ARROW_RETURN_NOT_OK(put.writer->Close());
  progress.Finish();
  return totals;
}

}  // namespace

arrow::Status RunPut(Session& session, const PutOptions& options, std::ostream& out) {
  if (options.files.size() > 1 && !options.name.empty() && !options.append) {
    return arrow::Status::Invalid(
        "--name names one dataset; give one file with it (or --append them all)");
  }
  const auto mode =
      options.append ? client::PutMode::kAppend : client::PutMode::kOverwrite;
  std::optional<FileFormat> format;
  if (!options.format.empty()) {
    ARROW_ASSIGN_OR_RAISE(format, ParseFormatName(options.format));
  }
  for (const auto& path : options.files) {
    std::string name = options.name;
    if (name.empty()) {
      if (path == "-") return arrow::Status::Invalid("put - (stdin) needs --name NAME");
      name = std::string(PathStem(path));
    }
    ARROW_ASSIGN_OR_RAISE(auto source, OpenInput(path, format));
    ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
    ARROW_ASSIGN_OR_RAISE(auto interrupt, InterruptGuard::Make());
    client->SetStopToken(interrupt.token());
    auto totals = Upload(*client, path, name, mode, source, session.ShowProgress(),
                         interrupt.token());
    client->SetStopToken({});
    if (options.append && ClassifyStatus(totals.status()) == ExitCode::kUsage) {
      // A request the server refused: most often, the file's schema is not the
      // dataset's.
      return WithHint("`quiver info " + name + "` shows the dataset's schema",
                      totals.status());
    }
    ARROW_RETURN_NOT_OK(totals.status());
    out << "put " << name << (options.append ? " (append)" : "") << ": "
        << FormatCount(totals->rows) << " rows, " << source.reader->schema()->num_fields()
        << " columns from " << (path == "-" ? std::string("stdin") : path) << " ("
        << FormatName(source.format) << ")\n";
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
