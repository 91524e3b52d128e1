#include "quiver/cli/cli_tracing.h"

#include <iostream>

#include "quiver/telemetry/flight/client_tracing_middleware.h"
#include "quiver/telemetry/tracing_config.h"

namespace quiver::cli {

CliTracing CliTracing::FromEnvironment() {
  CliTracing tracing;
  auto tracer = [&]() -> arrow::Result<std::shared_ptr<telemetry::Tracer>> {
    ARROW_ASSIGN_OR_RAISE(auto config, telemetry::TracingConfigFromEnv("quiver"));
    return telemetry::MakeTracer(config);
  }();
  if (tracer.ok()) {
    tracing.tracer_ = std::move(*tracer);
  } else {
    std::cerr << "quiver: tracing disabled: " << tracer.status().message() << '\n';
  }
  return tracing;
}

CliTracing::~CliTracing() {
  if (tracer_) tracer_->Shutdown();
}

std::shared_ptr<arrow::flight::ClientMiddlewareFactory> CliTracing::middleware() const {
  return telemetry::MakeClientTracingMiddlewareFactory(tracer_);
}

}  // namespace quiver::cli
