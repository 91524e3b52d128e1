#pragma once

/// \file
/// Numbers for people: sizes in binary units, counts with thousands separators,
/// durations and rates. Pure functions; thread-safe.

#include <cstdint>
#include <string>

namespace quiver::cli {

/// \brief "0 B", "999 B", "1.0 KiB", "12.3 MiB", "4.0 GiB" (1 KiB = 1024 B); three
/// significant digits from KiB up. Negative values (unknown) give "-".
std::string FormatBytes(int64_t bytes);

/// \brief "0", "999", "1,234,567". Negative values (unknown) give "-".
std::string FormatCount(int64_t count);

/// \brief "0s", "59s", "1m05s", "2h03m"; negative or non-finite gives "--".
std::string FormatDuration(double seconds);

/// \brief FormatBytes of a per-second rate followed by "/s", e.g. "12.3 MiB/s".
std::string FormatRate(double bytes_per_second);

}  // namespace quiver::cli
