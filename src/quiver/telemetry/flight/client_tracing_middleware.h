#pragma once

/// \file
/// Trace propagation for quiver's Flight clients (the CLI, tests, benchmarks).
///
///     arrow::flight::FlightClientOptions options;
///     options.middleware.push_back(
///         quiver::telemetry::MakeClientTracingMiddlewareFactory(tracer));
///
/// Every call then carries the W3C `traceparent` header, so quiverd's spans join the
/// caller's trace.

#include <memory>

#include <arrow/flight/client_middleware.h>

#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {

/// \brief A client middleware factory that propagates the trace context.
///
/// With a `tracer`, each call gets a CLIENT span named "client.<Method>" (child of the
/// calling thread's active span, see ScopedActiveSpan, or a root span), ended with the
/// call's status; its context is sent. Without one (null), the active span's context
/// is sent as is, and nothing is sent when there is none. Calls are set up on the
/// calling thread, which is where the active span is read. Thread-safe.
std::shared_ptr<arrow::flight::ClientMiddlewareFactory>
MakeClientTracingMiddlewareFactory(std::shared_ptr<Tracer> tracer = nullptr);

}  // namespace quiver::telemetry
