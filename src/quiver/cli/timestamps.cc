#include "quiver/cli/timestamps.h"

#include <cstdio>
#include <ctime>

namespace quiver::cli {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;

}  // namespace

std::string FormatLocalTime(int64_t micros) {
  std::tm tm = BrokenDownTime(micros, /*local=*/true);
  char text[160];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

arrow::Result<std::string> AsOfArgument(std::string_view text) {
  auto written = ParseWrittenTime(text);
  if (!written) {
    return arrow::Status::Invalid(
        "invalid --as-of '", text,
        "': expected a local time like '2026-12-01 23:00:00' (as `quiver versions` "
        "prints it) or RFC 3339 like 2026-12-01T22:00:00Z");
  }
  std::tm tm = written->tm;
  int64_t micros;
  if (written->offset_seconds) {
    micros = (static_cast<int64_t>(timegm(&tm)) - *written->offset_seconds) *
                 kMicrosPerSecond +
             written->micros;
  } else {
    tm.tm_isdst = -1;  // whatever daylight saving time says on that date
    std::time_t local = std::mktime(&tm);
    if (local == static_cast<std::time_t>(-1)) {
      return arrow::Status::Invalid("invalid --as-of '", text,
                                    "': not a time in this time zone");
    }
    micros = static_cast<int64_t>(local) * kMicrosPerSecond + written->micros;
    // A local time covers the whole of its last written unit.
    if (!written->has_seconds) {
      micros += 60 * kMicrosPerSecond - 1;
    } else if (!written->has_fraction) {
      micros += kMicrosPerSecond - 1;
    }
  }
  return FormatRfc3339Utc(micros);
}

}  // namespace quiver::cli
