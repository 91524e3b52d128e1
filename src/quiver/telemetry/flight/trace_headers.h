#pragma once

#include <arrow/flight/middleware.h>

#include "quiver/telemetry/trace_context.h"

namespace quiver::telemetry {

/// \brief The caller's span context from a Flight call's `traceparent` / `tracestate`
/// headers; invalid (a new trace starts) when absent or malformed. Several tracestate
/// headers are joined with ',' as W3C allows.
SpanContext ExtractTraceContext(const arrow::flight::CallHeaders& headers);

/// \brief Add `traceparent` (and `tracestate` when not empty) for `context` to
/// outgoing call headers. Does nothing for an invalid context.
void InjectTraceContext(const SpanContext& context,
                        arrow::flight::AddCallHeaders* headers);

}  // namespace quiver::telemetry
