#pragma once

/// \file
/// Times for people and for the server: the RFC 3339 timestamps quiverd sends and
/// accepts (UTC, microseconds), the local readable form the CLI prints, and the
/// --as-of argument, which takes either. Local time is the process's time zone (TZ).

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver::cli {

/// \brief Parse an RFC 3339 timestamp with a "Z" or numeric offset
/// ("2026-12-01T22:00:00.123456Z", "2026-12-01T23:00:00+01:00"); a space may stand
/// for the "T". \return microseconds since the Unix epoch, or Invalid.
arrow::Result<int64_t> ParseRfc3339(std::string_view text);

/// \brief "2026-12-01T22:00:00.123456Z": RFC 3339 in UTC with microseconds.
std::string FormatRfc3339Utc(int64_t micros);

/// \brief "2026-12-01 23:00:00": local time to the second, as `quiver versions`
/// prints it.
std::string FormatLocalTime(int64_t micros);

/// \brief The RFC 3339 UTC timestamp to send for `--as-of TEXT`.
///
/// TEXT is either an RFC 3339 timestamp with an offset (an exact instant), or a local
/// time without offset, "YYYY-MM-DD HH:MM[:SS[.ffffff]]" (a "T" may stand for the
/// space). A local time covers the whole of its last unit: "23:00" means up to
/// 23:00:59.999999 and "23:00:07" up to 23:00:07.999999, so that a COMMITTED time
/// printed by `quiver versions` selects that version.
/// \return Invalid naming TEXT and the accepted forms.
arrow::Result<std::string> AsOfArgument(std::string_view text);

}  // namespace quiver::cli
