#include <cmath>
#include <cstdio>

#include "quiver/cli/human_units_internal.h"

namespace quiver::cli {

std::string FormatBytes(int64_t bytes) {
  if (bytes < 0) return "-";
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // Switch unit before rounding could print "1024 KiB".
  while (value >= 999.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (value < 99.95) {
    std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  } else {
    std::snprintf(text, sizeof(text), "%.0f %s", value, kUnits[unit]);
  }
  return text;
}

std::string FormatCount(int64_t count) {
  if (count < 0) return "-";
  std::string digits = std::to_string(count);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--";
  auto total = static_cast<int64_t>(std::llround(seconds));
  char text[32];
  if (total < 60) {
    std::snprintf(text, sizeof(text), "%llds", static_cast<long long>(total));
  } else if (total < 3600) {
    std::snprintf(text, sizeof(text), "%lldm%02llds", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  } else {
    std::snprintf(text, sizeof(text), "%lldh%02lldm",
                  static_cast<long long>(total / 3600),
                  static_cast<long long>(total % 3600 / 60));
  }
  return text;
}

std::string FormatRate(double bytes_per_second) {
  if (!std::isfinite(bytes_per_second) || bytes_per_second < 0) return "-";
  return FormatBytes(static_cast<int64_t>(bytes_per_second)) + "/s";
}

}  // namespace quiver::cli
