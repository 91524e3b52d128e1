#pragma once

/// \file
/// Durations as quiverd's flags take them ("90s", "30m", "12h", "7d", "250ms", "1.5s").
/// Some flags also take zero ("0", "0s", "0.0m": never, nothing, no grace); whether a
/// flag does is said once, by ZeroDuration, at the flag.

#include <chrono>
#include <string_view>

#include <arrow/result.h>

namespace quiver::app {

/// \brief Whether zero is a duration the flag accepts.
enum class ZeroDuration { kRefused, kAllowed };

/// \brief Parse a duration: a number followed by ms, s, m, h or d, at least 1ms and
/// at most 366 days. With ZeroDuration::kAllowed, also zero: "0" repeated, an
/// optional ".0...", and an optional unit ("0", "00s", "0.0m").
/// \return Invalid with the accepted form for anything else.
arrow::Result<std::chrono::milliseconds> ParseDuration(
    std::string_view text, ZeroDuration zero = ZeroDuration::kRefused);

/// \brief ParseDuration for the flag named `flag`, whose name starts the error.
arrow::Result<std::chrono::milliseconds> ParseDurationFlag(std::string_view flag,
                                                           std::string_view text,
                                                           ZeroDuration zero);

}  // namespace quiver::app
