#include "quiver/telemetry/tracing_config.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace quiver::telemetry {
namespace {

EnvLookup Env(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string Resource(const TracingConfig& config, const std::string& key) {
  for (const auto& attribute : config.otlp.resource) {
    if (attribute.key == key) return std::get<std::string>(attribute.value);
  }
  return "<unset>";
}

TEST(TracingConfigTest, OffByDefault) {
  auto config = TracingConfigFromEnv("quiverd", Env({}));
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enabled);
  EXPECT_EQ(Resource(*config, "service.name"), "quiverd");
  auto tracer = MakeTracer(*config);
  ASSERT_TRUE(tracer.ok());
  EXPECT_EQ(*tracer, nullptr);
}

TEST(TracingConfigTest, AnEndpointTurnsTracingOn) {
  auto config = TracingConfigFromEnv(
      "quiverd", Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->enabled);
  EXPECT_EQ(config->otlp.endpoint, "http://collector:4318/v1/traces");

  config = TracingConfigFromEnv(
      "quiverd", Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318"},
                      {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:9/custom/path"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->otlp.endpoint, "http://c:9/custom/path");  // used as is
}

TEST(TracingConfigTest, ExporterVariableAndSdkDisabled) {
  auto on = TracingConfigFromEnv("q", Env({{"OTEL_TRACES_EXPORTER", "otlp"}}));
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->enabled);
  EXPECT_EQ(on->otlp.endpoint, "http://localhost:4318/v1/traces");

  auto none = TracingConfigFromEnv(
      "q", Env({{"OTEL_TRACES_EXPORTER", "none"},
                {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->enabled);

  auto disabled = TracingConfigFromEnv(
      "q", Env({{"OTEL_TRACES_EXPORTER", "otlp"}, {"OTEL_SDK_DISABLED", "true"}}));
  ASSERT_TRUE(disabled.ok());
  EXPECT_FALSE(disabled->enabled);

  EXPECT_FALSE(TracingConfigFromEnv("q", Env({{"OTEL_TRACES_EXPORTER", "zipkin"}})).ok());
  EXPECT_FALSE(
      TracingConfigFromEnv("q", Env({{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}})).ok());
}

TEST(TracingConfigTest, ProtocolDefaultsToProtobufAndTracesVariableWins) {
  auto standard = TracingConfigFromEnv("q", Env({}));
  ASSERT_TRUE(standard.ok());
  EXPECT_EQ(standard->otlp.protocol, OtlpProtocol::kHttpProtobuf);
  auto json =
      TracingConfigFromEnv("q", Env({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->otlp.protocol, OtlpProtocol::kHttpJson);
  auto both = TracingConfigFromEnv(
      "q", Env({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"}}));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->otlp.protocol, OtlpProtocol::kHttpProtobuf);
  auto grpc =
      TracingConfigFromEnv("q", Env({{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"}}));
  ASSERT_TRUE(grpc.status().IsInvalid());
  EXPECT_NE(grpc.status().message().find("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"),
            std::string::npos);
}

TEST(TracingConfigTest, Sampler) {
  auto standard = TracingConfigFromEnv("q", Env({}));
  ASSERT_TRUE(standard.ok());
  EXPECT_TRUE(standard->sampler.parent_based);
  EXPECT_EQ(standard->sampler.root, SamplerOptions::Root::kAlwaysOn);
  auto ratio = TracingConfigFromEnv("q", Env({{"OTEL_TRACES_SAMPLER", "traceidratio"},
                                              {"OTEL_TRACES_SAMPLER_ARG", "0.1"}}));
  ASSERT_TRUE(ratio.ok());
  EXPECT_FALSE(ratio->sampler.parent_based);
  EXPECT_DOUBLE_EQ(ratio->sampler.ratio, 0.1);
  EXPECT_TRUE(TracingConfigFromEnv("q", Env({{"OTEL_TRACES_SAMPLER", "sometimes"}}))
                  .status()
                  .IsInvalid());
}

TEST(TracingConfigTest, ResourceServiceNameHeadersAndBatching) {
  auto config = TracingConfigFromEnv(
      "quiverd", Env({{"OTEL_RESOURCE_ATTRIBUTES",
                       "service.name=from-attrs, deployment.environment=prod,team=a%2Cb"},
                      {"OTEL_SERVICE_NAME", "from-service-name"},
                      {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret%3D1,x=y"},
                      {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500"},
                      {"OTEL_BSP_SCHEDULE_DELAY", "100"},
                      {"OTEL_BSP_MAX_QUEUE_SIZE", "10"},
                      {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "5"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(Resource(*config, "service.name"), "from-service-name");
  EXPECT_EQ(Resource(*config, "deployment.environment"), "prod");
  EXPECT_EQ(Resource(*config, "team"), "a,b");
  ASSERT_EQ(config->otlp.headers.size(), 2u);
  EXPECT_EQ(config->otlp.headers[0],
            (std::pair<std::string, std::string>("api-key", "secret=1")));
  EXPECT_EQ(config->otlp.timeout.count(), 2500);
  EXPECT_EQ(config->batch.schedule_delay.count(), 100);
  EXPECT_EQ(config->batch.max_queue_size, 10u);
  EXPECT_EQ(config->batch.max_export_batch_size, 5u);
}

TEST(TracingConfigTest, BadValuesNameTheVariable) {
  auto bad = TracingConfigFromEnv("q", Env({{"OTEL_BSP_SCHEDULE_DELAY", "soon"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OTEL_BSP_SCHEDULE_DELAY"), std::string::npos);
  bad = TracingConfigFromEnv("q", Env({{"OTEL_RESOURCE_ATTRIBUTES", "novalue"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OTEL_RESOURCE_ATTRIBUTES"), std::string::npos);
}

TEST(TracingConfigTest, MakeTracerRejectsANonHttpEndpoint) {
  TracingConfig config;
  config.enabled = true;
  config.otlp.endpoint = "collector:4317";
  EXPECT_FALSE(MakeTracer(config).ok());
}

}  // namespace
}  // namespace quiver::telemetry
