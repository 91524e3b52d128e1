#pragma once

/// \file
/// The CLI's error classes: one exit code per class, and the one-line message users
/// see (what went wrong and what to do).

#include <string>
#include <string_view>

#include <arrow/status.h>

namespace quiver::cli {

/// \brief Exit codes of `quiver`, documented in docs/cli.md. Stable: scripts test them.
enum class ExitCode : int {
  kOk = 0,
  kError = 1,             ///< anything not below (server-side failure, local write error)
  kUsage = 2,             ///< bad command line or request (option, name, format)
  kUnreachable = 3,       ///< no connection to the server (down, wrong address, TLS)
  kNotFound = 4,          ///< the dataset does not exist
  kUnauthenticated = 5,   ///< login needed, refused, expired or revoked
  kPermissionDenied = 6,  ///< logged in, but the role does not allow the operation
  kBadInput = 7,          ///< a local input file is missing, unreadable or malformed
  kTimedOut = 8,          ///< the --timeout deadline passed
  kInterrupted = 130,     ///< stopped by Ctrl-C (SIGINT) or SIGTERM during a transfer
};

/// \brief The number a process returns for `code`.
inline int ToInt(ExitCode code) { return static_cast<int>(code); }

/// \brief Tag `status` with the class it belongs to, overriding the classification
/// of its code. Used where only the caller knows the class (e.g. a CSV parse error is
/// a bad input, not a usage error). OK stays OK.
arrow::Status WithExitCode(ExitCode code, arrow::Status status);

/// \brief Attach what the user should do about `status`, replacing the generic hint
/// DescribeError gives for its class (e.g. "`quiver versions NAME` lists its
/// versions" instead of "`quiver ls` lists the datasets"). Keeps its class and any
/// WithExitCode tag. OK stays OK.
arrow::Status WithHint(std::string hint, arrow::Status status);

/// \brief Attach lines to print below the one-line message of `status` (a SQL
/// engine's "LINE 1: ..." and the caret under the position), each as given. Keeps its
/// class, hint and any WithExitCode tag. OK stays OK.
arrow::Status WithContext(std::string lines, arrow::Status status);

/// \brief The class of an error: the tag of WithExitCode if any, otherwise from the
/// Flight status code (Unavailable, TimedOut, Unauthenticated, Unauthorized), otherwise
/// from the Arrow status code (KeyError -> not found, Invalid -> usage).
ExitCode ClassifyStatus(const arrow::Status& status);

/// \brief The message of `status` without transport boilerplate ("Flight returned
/// ... error, with message:", ". Detail: ...", "gRPC client debug context"), every
/// line of it.
std::string ServerMessage(const arrow::Status& status);

/// \brief The first line of ServerMessage, without trailing blanks and periods; the
/// status code's name when that is empty.
std::string CleanMessage(const arrow::Status& status);

/// \brief What is printed for a failed command (without the "quiver: " prefix): one
/// line, the cleaned message and what to do about it, then the WithContext lines.
/// \param server the server URL, named in hints about connecting and logging in.
std::string DescribeError(const arrow::Status& status, std::string_view server);

}  // namespace quiver::cli
