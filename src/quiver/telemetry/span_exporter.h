#pragma once

#include <vector>

#include <arrow/status.h>

#include "quiver/telemetry/span_data.h"

namespace quiver::telemetry {

/// \brief Where finished spans go (OTLP/HTTP in production, memory in tests).
///
/// Export is called from one thread at a time (the batch processor's export thread).
/// It may block up to its own timeout and retries; it must never throw.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  /// \brief Send one batch. \return an error if the batch was not accepted; the spans
  /// are then counted as dropped.
  virtual arrow::Status Export(const std::vector<SpanData>& spans) = 0;
  /// \brief Cut short a back-off wait in progress and make later exports a single
  /// attempt (called at shutdown so that it stays bounded). Thread-safe; may be called
  /// while Export runs on another thread.
  virtual void Interrupt() {}
};

}  // namespace quiver::telemetry
