#include "quiver/telemetry/otlp_http_exporter.h"

#include <chrono>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace quiver::telemetry {
namespace {

/// An OTLP/HTTP receiver on a free loopback port answering with `statuses` in turn
/// (the last one repeated), with a Retry-After header when `retry_after` is set.
class Receiver {
 public:
  explicit Receiver(int status) : Receiver(std::vector<int>{status}) {}
  explicit Receiver(std::vector<int> statuses, std::string retry_after = "") {
    server_.Post("/v1/traces", [this, statuses, retry_after](const httplib::Request& req,
                                                             httplib::Response& res) {
      std::lock_guard lock(mutex_);
      bodies_.push_back(req.body);
      content_types_.push_back(req.get_header_value("Content-Type"));
      api_keys_.push_back(req.get_header_value("api-key"));
      times_.push_back(std::chrono::steady_clock::now());
      res.status = statuses[std::min(bodies_.size(), statuses.size()) - 1];
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
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
  std::vector<std::chrono::steady_clock::time_point> times_;
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
  options.protocol = OtlpProtocol::kHttpJson;
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

TEST(OtlpHttpExporterTest, PostsProtobufByDefault) {
  Receiver receiver(200);
  OtlpHttpOptions options;
  options.endpoint = receiver.url();
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  SpanData span = OneSpan();
  ASSERT_TRUE((*exporter)->Export({span}).ok());
  std::lock_guard lock(receiver.mutex_);
  ASSERT_EQ(receiver.bodies_.size(), 1u);
  EXPECT_EQ(receiver.content_types_[0], "application/x-protobuf");
  // The raw 16-byte trace id is in the body (a JSON body would carry hex).
  std::string raw_id(reinterpret_cast<const char*>(span.context.trace_id.bytes.data()),
                     16);
  EXPECT_NE(receiver.bodies_[0].find(raw_id), std::string::npos);
}

TEST(OtlpHttpExporterTest, NonRetryableAnswerFailsTheBatchAtOnce) {
  Receiver receiver(400);
  OtlpHttpOptions options;
  options.endpoint = receiver.url();
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  auto status = (*exporter)->Export({OneSpan()});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("400"), std::string::npos);
  std::lock_guard lock(receiver.mutex_);
  EXPECT_EQ(receiver.bodies_.size(), 1u);
}

OtlpHttpOptions FastRetries(const Receiver& receiver) {
  OtlpHttpOptions options;
  options.endpoint = receiver.url();
  options.retry.initial_backoff = std::chrono::milliseconds(50);
  options.retry.max_backoff = std::chrono::milliseconds(200);
  return options;
}

TEST(OtlpHttpExporterTest, RetryableAnswersAreRetriedWithGrowingBackoff) {
  Receiver receiver({503, 429, 502, 504, 200});
  auto exporter = MakeOtlpHttpExporter(FastRetries(receiver));
  ASSERT_TRUE(exporter.ok());
  ASSERT_TRUE((*exporter)->Export({OneSpan()}).ok());
  std::lock_guard lock(receiver.mutex_);
  ASSERT_EQ(receiver.bodies_.size(), 5u);
  EXPECT_EQ(receiver.bodies_[0], receiver.bodies_[4]);  // the same batch again
  auto gap = [&](size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(receiver.times_[i + 1] -
                                                                 receiver.times_[i]);
  };
  // 50, 100, 200, 200 ms, each +-20%.
  EXPECT_GE(gap(0).count(), 40);
  EXPECT_GE(gap(1).count(), 80);
  EXPECT_GE(gap(2).count(), 160);
  EXPECT_GE(gap(3).count(), 160);
}

TEST(OtlpHttpExporterTest, AttemptsAreBounded) {
  Receiver receiver({503});
  auto options = FastRetries(receiver);
  options.retry.max_attempts = 3;
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  auto status = (*exporter)->Export({OneSpan()});
  EXPECT_TRUE(status.IsIOError());
  EXPECT_NE(status.message().find("503"), std::string::npos);
  std::lock_guard lock(receiver.mutex_);
  EXPECT_EQ(receiver.bodies_.size(), 3u);
}

TEST(OtlpHttpExporterTest, RetryAfterIsHonoured) {
  Receiver receiver({429, 200}, "1");
  auto exporter = MakeOtlpHttpExporter(FastRetries(receiver));
  ASSERT_TRUE(exporter.ok());
  ASSERT_TRUE((*exporter)->Export({OneSpan()}).ok());
  std::lock_guard lock(receiver.mutex_);
  ASSERT_EQ(receiver.bodies_.size(), 2u);
  EXPECT_GE(receiver.times_[1] - receiver.times_[0], std::chrono::milliseconds(950));
}

TEST(OtlpHttpExporterTest, WaitsPastTheTimeoutGiveUp) {
  // A Retry-After past the timeout gives up at once. The margins are wide (the
  // timeout is 30 s, the bound 15 s) so that a busy machine cannot fail it; an
  // exporter that waited would take 30 s or more.
  Receiver receiver({503}, "600");
  auto options = FastRetries(receiver);
  options.timeout = std::chrono::seconds(30);
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  auto start = std::chrono::steady_clock::now();
  auto status = (*exporter)->Export({OneSpan()});
  EXPECT_TRUE(status.IsIOError());
  EXPECT_NE(status.message().find("export timeout"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

TEST(OtlpHttpExporterTest, InterruptCutsTheBackoffShort) {
  // Retry-After 60 s within a 120 s timeout: only the interrupt ends the wait within
  // the (wide) bound.
  Receiver receiver({503}, "60");
  auto options = FastRetries(receiver);
  options.timeout = std::chrono::seconds(120);
  auto exporter = MakeOtlpHttpExporter(options);
  ASSERT_TRUE(exporter.ok());
  auto start = std::chrono::steady_clock::now();
  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    (*exporter)->Interrupt();
  });
  EXPECT_TRUE((*exporter)->Export({OneSpan()}).IsIOError());
  interrupter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  // After an interrupt every export is a single attempt.
  EXPECT_TRUE((*exporter)->Export({OneSpan()}).IsIOError());
  std::lock_guard lock(receiver.mutex_);
  EXPECT_EQ(receiver.bodies_.size(), 2u);
}

TEST(OtlpHttpExporterTest, ProtocolNames) {
  EXPECT_EQ(*ParseOtlpProtocol("http/protobuf"), OtlpProtocol::kHttpProtobuf);
  EXPECT_EQ(*ParseOtlpProtocol("http/json"), OtlpProtocol::kHttpJson);
  EXPECT_TRUE(ParseOtlpProtocol("grpc").status().IsInvalid());
  EXPECT_EQ(OtlpProtocolName(OtlpProtocol::kHttpJson), "http/json");
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
