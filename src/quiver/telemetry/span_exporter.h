#pragma once

#include <vector>

#include <arrow/status.h>

#include "quiver/telemetry/span_data.h"

namespace quiver::telemetry {

/// \brief Where finished spans go (OTLP/HTTP in production, memory in tests).
///
/// Called from one thread at a time (the batch processor's export thread). Export may
/// block up to its own timeout; it must never throw.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  /// \brief Send one batch. \return an error if the batch was not accepted; the spans
  /// are then counted as dropped (no retry).
  virtual arrow::Status Export(const std::vector<SpanData>& spans) = 0;
};

}  // namespace quiver::telemetry
