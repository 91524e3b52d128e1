#pragma once

/// \file
/// Where `quiver sql` takes its statement from: the argument, `-f FILE`, or stdin.

#include <string>

#include <arrow/result.h>

namespace quiver::cli {

/// \brief The statement as the command line gives it.
struct StatementSource {
  std::string text;  ///< the argument; empty or "-" means: read it (file or stdin)
  std::string file;  ///< -f FILE; empty = none
};

/// \brief The text of the statement: `source.text` unless it is empty or "-", else the
/// contents of `source.file` when given, else all of stdin.
///
/// Reads at most flightsql::kMaxMessageBytes (the largest statement the server takes)
/// and one byte more, to tell that it is too long.
/// \param stdin_is_terminal when nothing names the statement and stdin is a terminal,
///        it is not read (nobody is typing a statement there); an explicit "-" reads it.
/// \return errors tagged ExitCode::kUsage when no statement is given, it is blank, or
///         it is too long; ExitCode::kBadInput when the file or stdin cannot be read.
arrow::Result<std::string> ReadStatement(const StatementSource& source,
                                         bool stdin_is_terminal);

}  // namespace quiver::cli
