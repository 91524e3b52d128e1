#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "quiver/telemetry/otlp_json_internal.h"

namespace quiver::telemetry {
namespace {

using nlohmann::json;

SpanData MakeChildSpan() {
  SpanData span;
  span.context =
      *ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");
  span.parent_span_id =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01")
          ->span_id;
  span.name = "arrow.flight.protocol.FlightService/DoGet";
  span.kind = SpanKind::kServer;
  span.start_unix_nano = 1700000000123456789;
  span.end_unix_nano = 1700000000223456789;
  span.attributes = {{"rpc.system", std::string("grpc")},
                     {"quiver.rows", int64_t{9007199254740993}},
                     {"ratio", 0.25},
                     {"ok", false}};
  span.events = {
      {"exception", 1700000000200000000, {{"exception.message", std::string("boom")}}}};
  span.status = SpanStatusCode::kError;
  span.status_message = "boom";
  return span;
}

TEST(OtlpJsonTest, EncodesTheOtlpJsonMapping) {
  std::vector<Attribute> resource = {{"service.name", std::string("quiverd")}};
  json request =
      json::parse(EncodeOtlpJson(resource, "quiver", "0.1.0", {MakeChildSpan()}));

  ASSERT_EQ(request["resourceSpans"].size(), 1u);
  const json& rs = request["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][0],
            json::parse(R"({"key":"service.name","value":{"stringValue":"quiverd"}})"));
  const json& scope_spans = rs["scopeSpans"][0];
  EXPECT_EQ(scope_spans["scope"]["name"], "quiver");
  EXPECT_EQ(scope_spans["scope"]["version"], "0.1.0");
  ASSERT_EQ(scope_spans["spans"].size(), 1u);
  const json& span = scope_spans["spans"][0];

  // Ids are hex (not base64), 64-bit integers are strings, enums are integers.
  EXPECT_EQ(span["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span["spanId"], "00f067aa0ba902b7");
  EXPECT_EQ(span["parentSpanId"], "1111111111111111");
  EXPECT_EQ(span["traceState"], "k=v");
  EXPECT_EQ(span["name"], "arrow.flight.protocol.FlightService/DoGet");
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(span["endTimeUnixNano"], "1700000000223456789");
  EXPECT_EQ(span["flags"], 1);
  EXPECT_EQ(span["attributes"], json::parse(R"([
      {"key":"rpc.system","value":{"stringValue":"grpc"}},
      {"key":"quiver.rows","value":{"intValue":"9007199254740993"}},
      {"key":"ratio","value":{"doubleValue":0.25}},
      {"key":"ok","value":{"boolValue":false}}])"));
  EXPECT_EQ(span["events"], json::parse(R"([{"timeUnixNano":"1700000000200000000",
      "name":"exception",
      "attributes":[{"key":"exception.message","value":{"stringValue":"boom"}}]}])"));
  EXPECT_EQ(span["status"], json::parse(R"({"code":2,"message":"boom"})"));
}

TEST(OtlpJsonTest, RootSpanHasNoParentAndUnsetStatusNoMessage) {
  SpanData span = MakeChildSpan();
  span.parent_span_id = SpanId{};
  span.context.trace_state.clear();
  span.events.clear();
  span.status = SpanStatusCode::kUnset;
  span.status_message.clear();
  json encoded = json::parse(EncodeOtlpJson({}, "quiver", "0.1.0", {span}));
  const json& out = encoded["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_FALSE(out.contains("parentSpanId"));
  EXPECT_FALSE(out.contains("traceState"));
  EXPECT_FALSE(out.contains("events"));
  EXPECT_EQ(out["status"], json::parse(R"({"code":0})"));
}

TEST(OtlpJsonTest, InvalidUtf8IsReplacedNotThrown) {
  SpanData span = MakeChildSpan();
  span.attributes = {{"quiver.dataset", std::string("bad\xff")}};
  std::string body = EncodeOtlpJson({}, "quiver", "0.1.0", {span});
  EXPECT_TRUE(json::accept(body));
  EXPECT_NE(body.find("bad\xef\xbf\xbd"), std::string::npos);  // U+FFFD
}

}  // namespace
}  // namespace quiver::telemetry
