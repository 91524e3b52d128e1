#pragma once

/// \file
/// RFC 3339 timestamps as quiverd sends and accepts them (UTC, microseconds since the
/// Unix epoch), and the date-time parser under them, shared by the server and the CLI.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver {

/// \brief A date and time as written, before any time zone is applied.
struct WrittenTime {
  std::tm tm{};        ///< year, month, day, hour, minute, second
  int64_t micros = 0;  ///< fraction of the second
  bool has_seconds = false;
  bool has_fraction = false;
  std::optional<int64_t> offset_seconds;  ///< "Z" = 0; none = local time
};

/// \brief Read "YYYY-MM-DD[T ]HH:MM[:SS[.f+]][Z|+HH:MM|-HH:MM]" (years from 1970, real
/// calendar dates). \return nullopt if the text is not that.
std::optional<WrittenTime> ParseWrittenTime(std::string_view text);

/// \brief Parse an RFC 3339 timestamp with a "Z" or numeric offset
/// ("2026-12-01T22:00:00.123456Z", "2026-12-01T23:00:00+01:00"); a space may stand
/// for the "T". \return microseconds since the Unix epoch, or Invalid with the
/// accepted form.
arrow::Result<int64_t> ParseRfc3339(std::string_view text);

/// \brief "2026-12-01T22:00:00.123456Z": RFC 3339 in UTC with microseconds.
std::string FormatRfc3339Utc(int64_t micros);

/// \brief `micros` broken down in UTC, or in the process's time zone if `local`.
std::tm BrokenDownTime(int64_t micros, bool local);

}  // namespace quiver
