#include "quiver/telemetry/otlp_http_exporter.h"

#include <chrono>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace quiver::telemetry {
namespace {

/// An OTLP/HTTP receiver on a free loopback port answering with `status`.
class Receiver {
 public:
  explicit Receiver(int status) {
    server_.Post("/v1/traces",
                 [this, status](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard lock(mutex_);
                   bodies_.push_back(req.body);
                   content_types_.push_back(req.get_header_value("Content-Type"));
                   api_keys_.push_back(req.get_header_value("api-key"));
                   res.status = status;
                   res.set_content("{}", "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces";
  }

  httplib::Server server_;
  std::mutex mutex_;
  std::vector<std::string> bodies_, content_types_, api_keys_;
  int port_ = 0;
  std::thread thread_;
};

SpanData OneSpan() {
  SpanData span;
  span.context.trace_id = GenerateTraceId();
  span.context.span_id = GenerateSpanId();
  span.name = "exported";
  return span;
}

TEST(OtlpHttpExporterTest, PostsJsonWithHeadersAndResource) {
  Receiver receiver(200);
  OtlpHttpOptions options;
  options.endpoint = receiver.url();
  options.headers = {{"api-key", "k1"}};
  options.resource = {{"service.name", std::string("unit")}};
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  SpanData span = OneSpan();
  ASSERT_TRUE((*exporter)->Export({span}).ok());
  ASSERT_TRUE((*exporter)->Export({}).ok());  // nothing to send: no request
  std::lock_guard lock(receiver.mutex_);
  ASSERT_EQ(receiver.bodies_.size(), 1u);
  EXPECT_EQ(receiver.content_types_[0], "application/json");
  EXPECT_EQ(receiver.api_keys_[0], "k1");
  auto body = nlohmann::json::parse(receiver.bodies_[0]);
  const auto& rs = body["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][0]["value"]["stringValue"], "unit");
  EXPECT_EQ(rs["scopeSpans"][0]["spans"][0]["traceId"], span.context.trace_id.ToHex());
}

TEST(OtlpHttpExporterTest, NonSuccessAnswerFailsTheBatch) {
  Receiver receiver(503);
  OtlpHttpOptions options;
  options.endpoint = receiver.url();
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  auto status = (*exporter)->Export({OneSpan()});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("503"), std::string::npos);
}

TEST(OtlpHttpExporterTest, RefusedConnectionFailsTheBatch) {
  int port;
  {
    Receiver closed(200);  // bind a free port, then close it
    port = closed.port_;
  }
  OtlpHttpOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  options.timeout = std::chrono::milliseconds(5000);
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  EXPECT_TRUE((*exporter)->Export({OneSpan()}).IsIOError());
}

TEST(OtlpHttpExporterTest, RedactsCredentialsInUrls) {
  EXPECT_EQ(RedactUrl("https://user:secret@collector:4318/v1/traces"),
            "https://***@collector:4318/v1/traces");
  EXPECT_EQ(RedactUrl("http://collector:4318/v1/traces?a=b@c"),
            "http://collector:4318/v1/traces?a=b@c");
  EXPECT_EQ(RedactUrl("http://collector"), "http://collector");
}

TEST(OtlpHttpExporterTest, RejectsNonHttpEndpoints) {
  OtlpHttpOptions options;
  options.endpoint = "grpc://collector:4317";
  EXPECT_TRUE(MakeOtlpHttpExporter(options).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::telemetry
