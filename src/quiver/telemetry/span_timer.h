#pragma once

#include <chrono>

#include "quiver/telemetry/span.h"

namespace quiver::telemetry {

/// \brief Adds the time of a scope to `*seconds` when `span` records; costs nothing
/// (no clock read) when it does not. Not thread-safe: `*seconds` belongs to the
/// span's thread.
class SpanTimer {
 public:
  SpanTimer(const Span& span, double* seconds)
      : seconds_(span.recording() ? seconds : nullptr) {
    if (seconds_ != nullptr) start_ = std::chrono::steady_clock::now();
  }
  ~SpanTimer() {
    if (seconds_ != nullptr) {
      *seconds_ +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
              .count();
    }
  }
  SpanTimer(const SpanTimer&) = delete;
  SpanTimer& operator=(const SpanTimer&) = delete;

 private:
  double* seconds_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace quiver::telemetry
