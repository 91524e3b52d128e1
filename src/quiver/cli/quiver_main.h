#pragma once

/// \file
/// `quiver`, the command-line client of quiverd.
///
///   quiver [GLOBAL OPTIONS] COMMAND [ARGS]    commands: ls info put get head rm login
///   logout
///
/// Exit codes are those of ExitCode (exit_codes.h), documented in docs/cli.md.

#include <memory>
#include <vector>

#include <arrow/flight/client_middleware.h>

namespace quiver::cli {

/// \brief What the binary adds to the CLI beyond its command line.
struct QuiverMainOptions {
  /// Client middleware put on every connection (e.g. trace-context injection).
  std::vector<std::shared_ptr<arrow::flight::ClientMiddlewareFactory>> middleware;

  static QuiverMainOptions Defaults() { return QuiverMainOptions{}; }
};

/// \brief The whole of `quiver`: parse the command line, run the command, print any
/// error as one line on stderr, and return the process exit code (ExitCode).
int QuiverMain(int argc, char** argv,
               const QuiverMainOptions& options = QuiverMainOptions::Defaults());

}  // namespace quiver::cli
