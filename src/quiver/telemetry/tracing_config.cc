#include "quiver/telemetry/tracing_config.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace quiver::telemetry {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    int value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr ==
            text.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// Parse "k1=v1,k2=v2" (W3C baggage-like, values percent-encoded).
arrow::Result<std::vector<std::pair<std::string, std::string>>> ParseKeyValues(
    const char* variable, std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos || Trim(item.substr(0, eq)).empty()) {
      return arrow::Status::Invalid(variable,
                                    ": expected key=value pairs separated by ','");
    }
    out.emplace_back(PercentDecode(Trim(item.substr(0, eq))),
                     PercentDecode(Trim(item.substr(eq + 1))));
  }
  return out;
}

arrow::Result<int64_t> ParsePositive(const char* variable, std::string_view text) {
  text = Trim(text);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) {
    return arrow::Status::Invalid(variable, ": expected a positive integer, got '", text,
                                  "'");
  }
  return value;
}

/// The signal-specific variable wins over the general one.
std::optional<std::string> Either(const EnvLookup& env, const char* specific,
                                  const char* general, const char** used) {
  if (auto value = env(specific); value && !value->empty()) {
    *used = specific;
    return value;
  }
  *used = general;
  auto value = env(general);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string TracesUrlFromBase(std::string_view base) {
  std::string url(base);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v1/traces";
}

void SetResourceAttribute(OtlpHttpOptions& options, std::string_view key,
                          std::string value) {
  for (auto& attribute : options.resource) {
    if (attribute.key == key) {
      attribute.value = std::move(value);
      return;
    }
  }
  options.resource.push_back({std::string(key), std::move(value)});
}

arrow::Result<TracingConfig> TracingConfigFromEnv(std::string_view default_service_name,
                                                  const EnvLookup& env) {
  TracingConfig config;
  const char* used = nullptr;

  auto traces_endpoint = env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  auto base_endpoint = env("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (traces_endpoint && !traces_endpoint->empty()) {
    config.otlp.endpoint = std::string(Trim(*traces_endpoint));
  } else if (base_endpoint && !base_endpoint->empty()) {
    config.otlp.endpoint = TracesUrlFromBase(Trim(*base_endpoint));
  }
  bool endpoint_given = (traces_endpoint && !traces_endpoint->empty()) ||
                        (base_endpoint && !base_endpoint->empty());

  auto exporter = env("OTEL_TRACES_EXPORTER");
  if (!exporter || Trim(*exporter).empty()) {
    config.enabled = endpoint_given;
  } else if (Trim(*exporter) == "otlp") {
    config.enabled = true;
  } else if (Trim(*exporter) == "none") {
    config.enabled = false;
  } else {
    return arrow::Status::Invalid(
        "OTEL_TRACES_EXPORTER: only 'otlp' and 'none' are "
        "supported, got '",
        *exporter, "'");
  }
  if (auto disabled = env("OTEL_SDK_DISABLED"); disabled && Trim(*disabled) == "true") {
    config.enabled = false;
  }

  if (auto protocol = Either(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                             "OTEL_EXPORTER_OTLP_PROTOCOL", &used)) {
    auto parsed = ParseOtlpProtocol(Trim(*protocol));
    if (!parsed.ok())
      return arrow::Status::Invalid(used, ": ", parsed.status().message());
    config.otlp.protocol = *parsed;
  }
  if (auto sampler = env("OTEL_TRACES_SAMPLER"); sampler && !Trim(*sampler).empty()) {
    auto arg = env("OTEL_TRACES_SAMPLER_ARG");
    ARROW_ASSIGN_OR_RAISE(config.sampler,
                          ParseSampler(Trim(*sampler), arg ? Trim(*arg) : ""));
  }
  if (auto headers = Either(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
                            "OTEL_EXPORTER_OTLP_HEADERS", &used)) {
    ARROW_ASSIGN_OR_RAISE(config.otlp.headers, ParseKeyValues(used, *headers));
  }
  if (auto timeout = Either(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
                            "OTEL_EXPORTER_OTLP_TIMEOUT", &used)) {
    ARROW_ASSIGN_OR_RAISE(auto ms, ParsePositive(used, *timeout));
    config.otlp.timeout = std::chrono::milliseconds(ms);
  }
  if (auto delay = env("OTEL_BSP_SCHEDULE_DELAY")) {
    ARROW_ASSIGN_OR_RAISE(auto ms, ParsePositive("OTEL_BSP_SCHEDULE_DELAY", *delay));
    config.batch.schedule_delay = std::chrono::milliseconds(ms);
  }
  if (auto size = env("OTEL_BSP_MAX_QUEUE_SIZE")) {
    ARROW_ASSIGN_OR_RAISE(auto n, ParsePositive("OTEL_BSP_MAX_QUEUE_SIZE", *size));
    config.batch.max_queue_size = static_cast<size_t>(n);
  }
  if (auto size = env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE")) {
    ARROW_ASSIGN_OR_RAISE(auto n, ParsePositive("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", *size));
    config.batch.max_export_batch_size = static_cast<size_t>(n);
  }

  SetResourceAttribute(config.otlp, "service.name", std::string(default_service_name));
  SetResourceAttribute(config.otlp, "telemetry.sdk.name", "quiver");
  SetResourceAttribute(config.otlp, "telemetry.sdk.language", "cpp");
  if (auto attributes = env("OTEL_RESOURCE_ATTRIBUTES")) {
    ARROW_ASSIGN_OR_RAISE(auto pairs,
                          ParseKeyValues("OTEL_RESOURCE_ATTRIBUTES", *attributes));
    for (auto& [key, value] : pairs) SetResourceAttribute(config.otlp, key, value);
  }
  if (auto name = env("OTEL_SERVICE_NAME"); name && !Trim(*name).empty()) {
    SetResourceAttribute(config.otlp, "service.name", std::string(Trim(*name)));
  }
  return config;
}

arrow::Result<std::shared_ptr<Tracer>> MakeTracer(const TracingConfig& config) {
  if (!config.enabled) return std::shared_ptr<Tracer>();
  ARROW_ASSIGN_OR_RAISE(auto exporter, MakeOtlpHttpExporter(config.otlp));
  return Tracer::Make(std::move(exporter), config.batch, config.sampler);
}

}  // namespace quiver::telemetry
