#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/telemetry/batch_span_processor.h"
#include "quiver/telemetry/otlp_http_exporter.h"
#include "quiver/telemetry/sampler.h"
#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {

/// \brief Whether and where to export traces.
struct TracingConfig {
  /// Off by default: no tracer, no thread, spans are free no-ops.
  bool enabled = false;
  OtlpHttpOptions otlp = OtlpHttpOptions::Defaults();
  BatchOptions batch = BatchOptions::Defaults();
  SamplerOptions sampler = SamplerOptions::Defaults();

  static TracingConfig Defaults() { return {}; }
};

/// \brief Reads one environment variable (nullopt when unset).
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

/// \brief The process environment.
std::optional<std::string> GetEnv(const char* name);

/// \brief Build a TracingConfig from the standard OpenTelemetry variables.
///
/// Tracing is on when OTEL_TRACES_EXPORTER is "otlp", or when it is unset and
/// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is set; it is off
/// when OTEL_TRACES_EXPORTER is "none" or OTEL_SDK_DISABLED is "true". Also read:
/// OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP[_TRACES]_HEADERS,
/// OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT, OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL
/// (http/protobuf, the default, or http/json; grpc is Invalid), OTEL_TRACES_SAMPLER,
/// OTEL_TRACES_SAMPLER_ARG, OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE,
/// OTEL_BSP_MAX_EXPORT_BATCH_SIZE. A signal-specific (_TRACES_) variable wins over
/// the general one.
/// \param default_service_name service.name when neither OTEL_SERVICE_NAME nor
///        OTEL_RESOURCE_ATTRIBUTES names one.
/// \return Invalid naming the variable for a value that cannot be used.
arrow::Result<TracingConfig> TracingConfigFromEnv(std::string_view default_service_name,
                                                  const EnvLookup& env = GetEnv);

/// \brief The traces URL for an OTEL_EXPORTER_OTLP_ENDPOINT-style base URL (appends
/// "/v1/traces").
std::string TracesUrlFromBase(std::string_view base);

/// \brief Set resource attribute `key` to `value` (replacing it when present).
void SetResourceAttribute(OtlpHttpOptions& options, std::string_view key,
                          std::string value);

/// \brief The tracer `config` asks for: null when tracing is disabled.
arrow::Result<std::shared_ptr<Tracer>> MakeTracer(const TracingConfig& config);

}  // namespace quiver::telemetry
