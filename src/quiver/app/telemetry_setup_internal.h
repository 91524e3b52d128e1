#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <arrow/result.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"
#include "quiver/telemetry/metrics_http_server.h"
#include "quiver/telemetry/metrics_registry.h"
#include "quiver/telemetry/tracer.h"

namespace quiver::app {

/// \brief quiverd's observability flags. Flags win over the OTEL_* variables.
struct TelemetryFlags {
  /// HOST:PORT for /metrics, /healthz, /readyz; empty: no endpoint.
  std::string metrics_listen;
  /// "text" or "json".
  std::string log_format = "text";
  /// Full OTLP/HTTP traces URL; turns tracing on.
  std::string otlp_endpoint;
  /// "otlp" or "none"; empty: OTEL_TRACES_EXPORTER decides.
  std::string traces_exporter;
  /// service.name; empty: OTEL_SERVICE_NAME, else "quiverd".
  std::string service_name;
};

/// \brief Declare the flags above on `app`.
void AddTelemetryFlags(CLI::App& app, TelemetryFlags& flags);

/// \brief What StartTelemetry started; Shutdown() (or destruction) stops it.
class TelemetryRuntime {
 public:
  ~TelemetryRuntime();
  /// \brief Stop the metrics endpoint and flush the tracer (bounded by the export
  /// timeout). Idempotent.
  void Shutdown();

  /// Null when tracing is off.
  std::shared_ptr<telemetry::Tracer> tracer;
  std::shared_ptr<telemetry::MetricsRegistry> registry;
  /// Null without --metrics-listen.
  std::unique_ptr<telemetry::MetricsHttpServer> http;
};

/// \brief Make the tracer (from the OTEL_* variables and the flags), the metrics and
/// their HTTP endpoint, and register the RPC telemetry middleware and access-log
/// format in `serve_options`. Call once, after ConfigureLogging and before
/// StartService.
/// \return Invalid for bad flags or variables; IOError if the metrics address cannot
///         be bound.
arrow::Result<std::unique_ptr<TelemetryRuntime>> StartTelemetry(
    const TelemetryFlags& flags, std::shared_ptr<store::DatasetStore> store,
    server::ServeOptions* serve_options);

}  // namespace quiver::app
