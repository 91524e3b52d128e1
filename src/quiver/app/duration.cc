#include <algorithm>
#include <charconv>

#include "quiver/app/duration_internal.h"

namespace quiver::app {
namespace {

/// Milliseconds per `unit`; 0 for an unknown unit.
double MillisPer(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1e3;
  if (unit == "m") return 60e3;
  if (unit == "h") return 3600e3;
  if (unit == "d") return 86400e3;
  return 0;
}

/// "0", "000", "0.", "0.00", each with an optional unit.
bool IsZero(std::string_view text) {
  const auto zeros = text.find_first_not_of('0');
  if (text.empty() || zeros == 0) return false;
  std::string_view rest = text.substr(std::min(zeros, text.size()));
  if (rest.starts_with('.')) {
    rest.remove_prefix(1);
    rest.remove_prefix(std::min(rest.find_first_not_of('0'), rest.size()));
  }
  return rest.empty() || MillisPer(rest) != 0;
}

}  // namespace

arrow::Result<std::chrono::milliseconds> ParseDuration(std::string_view text,
                                                       ZeroDuration zero) {
  if (zero == ZeroDuration::kAllowed && IsZero(text)) {
    return std::chrono::milliseconds(0);
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const double scale = MillisPer(std::string_view(end, text.data() + text.size() - end));
  if (ec != std::errc() || scale == 0 || !(value * scale >= 1) ||
      value * scale > 366 * 86400e3) {
    return arrow::Status::Invalid(
        "expected a duration such as 90s, 30m, 12h or 7d, got '", text, "'");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(value * scale));
}

arrow::Result<std::chrono::milliseconds> ParseDurationFlag(std::string_view flag,
                                                           std::string_view text,
                                                           ZeroDuration zero) {
  auto duration = ParseDuration(text, zero);
  if (!duration.ok()) {
    return arrow::Status::Invalid(flag, ": ", duration.status().message());
  }
  return duration;
}

}  // namespace quiver::app
