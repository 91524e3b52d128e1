#include "quiver/telemetry/metrics_http_server.h"

#include <atomic>

#include <gtest/gtest.h>
#include <httplib.h>

namespace quiver::telemetry {
namespace {

TEST(MetricsHttpServerTest, ServesMetricsHealthAndReadiness) {
  auto registry = std::make_shared<MetricsRegistry>();
  registry->AddCounter("hits_total", "Hits.").Get().Increment(3);
  std::atomic<bool> ready{true};
  MetricsHttpOptions options;
  options.registry = registry;
  options.readiness = [&] {
    return ready ? arrow::Status::OK() : arrow::Status::IOError("store unreachable");
  };
  auto server = MetricsHttpServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_GT((*server)->port(), 0);

  httplib::Client client("127.0.0.1", (*server)->port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics->body, registry->RenderText());
  EXPECT_NE(metrics->body.find("hits_total 3\n"), std::string::npos);

  EXPECT_EQ(client.Get("/healthz")->status, 200);
  EXPECT_EQ(client.Get("/readyz")->status, 200);
  ready = false;
  auto not_ready = client.Get("/readyz");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_NE(not_ready->body.find("store unreachable"), std::string::npos);
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  EXPECT_EQ(client.Get("/other")->status, 404);

  (*server)->Stop();
  (*server)->Stop();  // idempotent
  EXPECT_FALSE(client.Get("/healthz"));
}

TEST(MetricsHttpServerTest, BusyPortIsAnIOError) {
  MetricsHttpOptions options;
  options.registry = std::make_shared<MetricsRegistry>();
  auto first = MetricsHttpServer::Start(options);
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  EXPECT_TRUE(MetricsHttpServer::Start(options).status().IsIOError());
}

}  // namespace
}  // namespace quiver::telemetry
