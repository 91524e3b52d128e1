#pragma once

/// \file
/// Questions asked on the controlling terminal: passwords (without echo) and yes/no
/// confirmations.

#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver::cli {

/// \brief Whether stdin is a terminal.
bool StdinIsTerminal();

/// \brief Ask for a password on the controlling terminal (/dev/tty) with echo off.
/// \return Invalid when there is no terminal (say to use QUIVER_PASSWORD instead).
arrow::Result<std::string> PromptPassword(std::string_view prompt);

/// \brief Ask a yes/no question on stderr and read the answer from stdin.
/// \return true only for an answer starting with 'y' or 'Y'.
bool Confirm(std::string_view question);

}  // namespace quiver::cli
