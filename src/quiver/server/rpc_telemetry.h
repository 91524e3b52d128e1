#pragma once

#include <memory>

#include <arrow/flight/server_middleware.h>

#include "quiver/server/server_metrics.h"
#include "quiver/telemetry/tracer.h"

namespace quiver::server {

/// Key under which the RPC telemetry middleware is registered.
inline constexpr char kRpcTelemetryMiddlewareKey[] = "quiver.telemetry";

/// \brief What the RPC telemetry middleware reports to; either may be null.
struct RpcTelemetryOptions {
  /// Records a SERVER span per call; null: no spans (incoming trace context is still
  /// propagated to the access log).
  std::shared_ptr<telemetry::Tracer> tracer;
  /// Updated once per call; null: no metrics.
  std::shared_ptr<ServerMetrics> metrics;
};

/// \brief Middleware that traces and measures every Flight call.
///
/// At the start of a call it continues the caller's trace from the `traceparent` /
/// `tracestate` headers (or starts one), opens a SERVER span named after OpenTelemetry's
/// RPC conventions ("arrow.flight.protocol.FlightService/<Method>", attributes
/// rpc.system, rpc.service, rpc.method) and makes it the thread's active span, so the
/// storage layer's spans become its children; it also puts the trace and span ids into
/// the call's CallStats for the access log. When the call completes it adds
/// rpc.grpc.status_code, quiver.dataset, quiver.rows and quiver.bytes, records an error
/// status for a failed call, ends the span and updates the metrics.
///
/// Must be registered after the access-log middleware (StartService does so).
std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeRpcTelemetryMiddlewareFactory(
    RpcTelemetryOptions options);

}  // namespace quiver::server
