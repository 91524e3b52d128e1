#include "quiver/telemetry/flight/client_tracing_middleware.h"

#include <mutex>

#include <gtest/gtest.h>

#include <arrow/flight/client.h>
#include <arrow/flight/server.h>
#include <arrow/flight/server_middleware.h>

#include "quiver/telemetry/active_span.h"

#include "in_memory_exporter.h"

namespace quiver::telemetry {
namespace {

namespace flight = arrow::flight;

/// Records the traceparent header of every call a server receives.
class HeaderRecorder : public flight::ServerMiddlewareFactory {
 public:
  arrow::Status StartCall(const flight::CallInfo&,
                          const flight::ServerCallContext& context,
                          std::shared_ptr<flight::ServerMiddleware>*) override {
    std::lock_guard lock(mutex_);
    auto it = context.incoming_headers().find("traceparent");
    seen_.push_back(it == context.incoming_headers().end() ? ""
                                                           : std::string(it->second));
    return arrow::Status::OK();
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

/// ListActions succeeds; every other call is the base class's NotImplemented.
class ActionsServer : public flight::FlightServerBase {
  arrow::Status ListActions(const flight::ServerCallContext&,
                            std::vector<flight::ActionType>* actions) override {
    actions->clear();
    return arrow::Status::OK();
  }
};

class ClientTracingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto location = flight::Location::ForGrpcTcp("127.0.0.1", 0);
    ASSERT_TRUE(location.ok());
    flight::FlightServerOptions options(*location);
    recorder_ = std::make_shared<HeaderRecorder>();
    options.middleware.emplace_back("recorder", recorder_);
    server_ = std::make_unique<ActionsServer>();
    ASSERT_TRUE(server_->Init(options).ok());
  }
  void TearDown() override { ASSERT_TRUE(server_->Shutdown().ok()); }

  std::unique_ptr<flight::FlightClient> Connect(std::shared_ptr<Tracer> tracer) {
    auto location = flight::Location::ForGrpcTcp("127.0.0.1", server_->port());
    flight::FlightClientOptions options = flight::FlightClientOptions::Defaults();
    options.middleware.push_back(MakeClientTracingMiddlewareFactory(std::move(tracer)));
    auto client = flight::FlightClient::Connect(*location, options);
    EXPECT_TRUE(client.ok());
    return std::move(*client);
  }

  std::shared_ptr<HeaderRecorder> recorder_;
  std::unique_ptr<flight::FlightServerBase> server_;
};

TEST_F(ClientTracingTest, WithoutTracerSendsTheActiveContextOrNothing) {
  auto client = Connect(nullptr);
  (void)client->ListActions();  // no active span: no header
  auto parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(parent.ok());
  {
    Span span = Span::NonRecording(*parent);
    ScopedActiveSpan active(span);
    (void)client->ListActions();
  }
  auto seen = recorder_->seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "");
  EXPECT_EQ(seen[1], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST_F(ClientTracingTest, WithTracerSendsAClientSpanChildOfTheActiveSpan) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  auto tracer = Tracer::Make(std::move(owned));
  auto client = Connect(tracer);
  SpanContext parent;
  {
    Span span = tracer->StartSpan("operation");
    parent = span.context();
    ScopedActiveSpan active(span);
    (void)client->ListActions();
    // An unimplemented call fails: its client span records the error.
    (void)client->DoAction(flight::Action{"nope", nullptr});
  }
  ASSERT_TRUE(tracer->ForceFlush(std::chrono::seconds(30)));
  auto spans = exporter->spans();
  ASSERT_EQ(spans.size(), 3u);
  const SpanData& list = spans[0];
  EXPECT_EQ(list.name, "client.ListActions");
  EXPECT_EQ(list.kind, SpanKind::kClient);
  EXPECT_EQ(list.context.trace_id, parent.trace_id);
  EXPECT_EQ(list.parent_span_id, parent.span_id);
  EXPECT_EQ(list.status, SpanStatusCode::kOk);
  EXPECT_EQ(spans[1].name, "client.DoAction");
  EXPECT_EQ(spans[1].status, SpanStatusCode::kError);

  auto seen = recorder_->seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], FormatTraceparent(list.context));
  EXPECT_EQ(seen[1], FormatTraceparent(spans[1].context));
}

}  // namespace
}  // namespace quiver::telemetry
