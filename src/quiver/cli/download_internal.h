#pragma once

/// \file
/// Writing what a FlightInfo describes, every endpoint in order, to a file or stdout in
/// one of the CLI's formats, batch by batch: the output path of `get` and `sql -o`.

#include <cstdint>
#include <string>

#include <arrow/flight/types.h>
#include <arrow/result.h>

#include "quiver/cli/file_format_internal.h"
#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief Where and how Download writes.
struct DownloadOptions {
  std::string output = "-";              ///< file, or "-" for stdout
  FileFormat format = FileFormat::kCsv;  ///< see ChooseOutputFormat
  int parallel = 1;                      ///< endpoints read at once
  /// What is downloaded, in the progress bar ("get sales") and in the interrupt
  /// message ("get of 'sales'").
  std::string label;
  std::string what;
  /// Whether a progress bar may be drawn (Session::ShowProgress()); on stdout it is
  /// drawn only when stdout is not the terminal.
  bool progress = false;
};

/// \brief The output format: `format` when given, else the one the extension of
/// `output` names, else CSV on stdout ("-").
/// \return Invalid for an unknown `format`, an extension that names no format, or a
///         binary format (Parquet, Arrow) for stdout when stdout is a terminal.
arrow::Result<FileFormat> ChooseOutputFormat(const std::string& format,
                                             const std::string& output);

/// \brief Stream every endpoint of `info` into `options.output`, in endpoint order
/// (`options.parallel` read at once), through a writer of `options.format`.
///
/// A file is written beside itself and moved into place only once complete
/// (OutputTarget). SIGINT and SIGTERM cancel the streams while it runs.
/// \return the rows written; a write failure tagged ExitCode::kError ("cannot write
///         ..."); an interrupt as Cancelled tagged ExitCode::kInterrupted; the
///         server's errors as they come.
arrow::Result<int64_t> Download(client::QuiverClient& client,
                                const arrow::flight::FlightInfo& info,
                                const DownloadOptions& options);

}  // namespace quiver::cli
