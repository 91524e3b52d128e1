#include <cstdint>

#include <arrow/io/file.h>
#include <arrow/io/stdio.h>

#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/statement_source_internal.h"
#include "quiver/flightsql/command_codec.h"

namespace quiver::cli {
namespace {

constexpr auto kMaxBytes = static_cast<int64_t>(flightsql::kMaxMessageBytes);

/// All of `stream`, or the first kMaxBytes + 1 bytes when it is longer.
arrow::Result<std::string> ReadBounded(arrow::io::InputStream& stream) {
  std::string text;
  char chunk[64 << 10];
  while (static_cast<int64_t>(text.size()) <= kMaxBytes) {
    ARROW_ASSIGN_OR_RAISE(int64_t got, stream.Read(sizeof(chunk), chunk));
    if (got == 0) break;
    text.append(chunk, static_cast<size_t>(got));
  }
  return text;
}

arrow::Result<std::string> ReadInput(const std::string& file) {
  if (file.empty()) {
    arrow::io::StdinStream in;
    return ReadBounded(in);
  }
  ARROW_ASSIGN_OR_RAISE(auto in, arrow::io::ReadableFile::Open(file));
  return ReadBounded(*in);
}

}  // namespace

arrow::Result<std::string> ReadStatement(const StatementSource& source,
                                         bool stdin_is_terminal) {
  std::string text = source.text;
  if (text.empty() || text == "-") {
    if (text.empty() && source.file.empty() && stdin_is_terminal) {
      return WithExitCode(
          ExitCode::kUsage,
          arrow::Status::Invalid("no statement: give it as an argument, with -f FILE, or "
                                 "on stdin (`quiver sql -` reads the terminal)"));
    }
    auto read = ReadInput(source.file);
    if (!read.ok()) {
      std::string what = source.file.empty() ? "stdin" : "'" + source.file + "'";
      return WithExitCode(ExitCode::kBadInput,
                          arrow::Status::IOError("cannot read the statement from ", what,
                                                 ": ", read.status().message()));
    }
    text = std::move(*read);
  }
  if (static_cast<int64_t>(text.size()) > kMaxBytes) {
    return WithExitCode(
        ExitCode::kUsage,
        arrow::Status::Invalid("the statement is longer than ", kMaxBytes >> 20,
                               " MiB, the most the server takes"));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return WithExitCode(ExitCode::kUsage,
                        arrow::Status::Invalid("the statement is empty"));
  }
  return text;
}

}  // namespace quiver::cli
