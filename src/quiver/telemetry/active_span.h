#pragma once

#include <memory>
#include <string_view>
#include <thread>

#include "quiver/telemetry/span.h"

namespace quiver::telemetry {

/// \brief Makes a span the active one of the calling thread for the scope's lifetime,
/// so that telemetry::StartSpan creates its children and client middleware propagates
/// it.
///
/// The active entry holds a copy of the span's context and a reference to its tracer,
/// never a pointer to the span, so it cannot dangle. Scopes nest; each restores the
/// previous entry when destroyed on the thread that made it (destroyed on another
/// thread it restores nothing). Not copyable or movable.
class ScopedActiveSpan {
 public:
  explicit ScopedActiveSpan(const Span& span);
  ~ScopedActiveSpan();
  ScopedActiveSpan(const ScopedActiveSpan&) = delete;
  ScopedActiveSpan& operator=(const ScopedActiveSpan&) = delete;

 private:
  std::shared_ptr<Tracer> previous_tracer_;
  SpanContext previous_context_;
  std::thread::id thread_;
};

/// \brief Start a child of the calling thread's active span (kind internal).
///
/// Returns a non-recording span, at the cost of a thread-local read, when no recording
/// span is active: tracing off, an unsampled trace, or code running outside any call.
Span StartSpan(std::string_view name);

/// \brief The context of the calling thread's active span (invalid when none).
SpanContext ActiveSpanContext();

/// \brief The tracer of the calling thread's active span (null when none records).
std::shared_ptr<Tracer> ActiveTracer();

}  // namespace quiver::telemetry
