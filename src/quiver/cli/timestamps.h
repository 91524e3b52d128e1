#pragma once

/// \file
/// Times for people: the local readable form the CLI prints, and the --as-of argument,
/// which takes it or RFC 3339 (common/rfc3339.h). Local time is the process's time
/// zone (TZ).

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/common/rfc3339.h"

namespace quiver::cli {

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
