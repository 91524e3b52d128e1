#include <spdlog/spdlog.h>

#include "quiver/app/telemetry_setup_internal.h"
#include "quiver/common/host_port.h"
#include "quiver/server/rpc_telemetry.h"
#include "quiver/server/server_metrics.h"
#include "quiver/telemetry/tracing_config.h"

namespace quiver::app {

void AddTelemetryFlags(CLI::App& app, TelemetryFlags& flags) {
  app.add_option(
      "--metrics-listen", flags.metrics_listen,
      "Serve Prometheus /metrics, /healthz and /readyz over HTTP on HOST:PORT");
  app.add_option("--log-format", flags.log_format,
                 "Log line format: text, or json (one JSON object per line)")
      ->capture_default_str();
  app.add_option("--otlp-endpoint", flags.otlp_endpoint,
                 "Export traces with OTLP/HTTP to this URL, e.g. "
                 "http://localhost:4318/v1/traces (default: the OTEL_* variables)");
  app.add_option("--traces-exporter", flags.traces_exporter,
                 "otlp or none (default: OTEL_TRACES_EXPORTER; tracing is off unless an "
                 "endpoint is configured)");
  app.add_option(
      "--service-name", flags.service_name,
      "service.name of exported spans (default: OTEL_SERVICE_NAME or quiverd)");
}

TelemetryRuntime::~TelemetryRuntime() { Shutdown(); }

void TelemetryRuntime::Shutdown() {
  if (http) http->Stop();
  if (tracer) tracer->Shutdown();
}

arrow::Result<std::unique_ptr<TelemetryRuntime>> StartTelemetry(
    const TelemetryFlags& flags, std::shared_ptr<store::DatasetStore> store,
    server::ServeOptions* serve_options) {
  ARROW_ASSIGN_OR_RAISE(auto config, telemetry::TracingConfigFromEnv("quiverd"));
  if (!flags.otlp_endpoint.empty()) {
    config.otlp.endpoint = flags.otlp_endpoint;
    config.enabled = true;
  }
  if (flags.traces_exporter == "otlp") {
    config.enabled = true;
  } else if (flags.traces_exporter == "none") {
    config.enabled = false;
  } else if (!flags.traces_exporter.empty()) {
    return arrow::Status::Invalid("--traces-exporter must be otlp or none");
  }
  if (!flags.service_name.empty()) {
    telemetry::SetResourceAttribute(config.otlp, "service.name", flags.service_name);
  }

  auto runtime = std::make_unique<TelemetryRuntime>();
  ARROW_ASSIGN_OR_RAISE(runtime->tracer, telemetry::MakeTracer(config));
  if (runtime->tracer) {
    spdlog::info("tracing: exporting OTLP/HTTP ({}) to {}",
                 telemetry::OtlpProtocolName(config.otlp.protocol),
                 telemetry::RedactUrl(config.otlp.endpoint));
  }
  runtime->registry = std::make_shared<telemetry::MetricsRegistry>();
  auto metrics = server::ServerMetrics::Make(*runtime->registry, store, runtime->tracer);
  server::AddObjectStoreMetrics(runtime->registry, *store);

  server::RpcTelemetryOptions rpc_options;
  rpc_options.tracer = runtime->tracer;
  rpc_options.metrics = metrics;
  serve_options->limits.metrics = metrics;
  // First of the extra middleware: a call that a later middleware (auth) rejects is
  // still traced and counted.
  serve_options->middleware.insert(
      serve_options->middleware.begin(),
      {server::kRpcTelemetryMiddlewareKey,
       server::MakeRpcTelemetryMiddlewareFactory(std::move(rpc_options))});
  serve_options->access_log.format = flags.log_format == "json"
                                         ? server::AccessLogFormat::kJson
                                         : server::AccessLogFormat::kText;

  if (!flags.metrics_listen.empty()) {
    ARROW_ASSIGN_OR_RAISE(auto address, ParseHostPort(flags.metrics_listen));
    telemetry::MetricsHttpOptions http_options;
    http_options.host = address.host;
    http_options.port = address.port;
    http_options.registry = runtime->registry;
    http_options.readiness = [store] { return store->CheckReachable(); };
    ARROW_ASSIGN_OR_RAISE(runtime->http,
                          telemetry::MetricsHttpServer::Start(std::move(http_options)));
    spdlog::info("quiverd metrics listening on http://{}:{}", address.host,
                 runtime->http->port());
  }
  return runtime;
}

}  // namespace quiver::app
