// A real quiver service on port 0 and a real Flight client, both traced by one
// in-memory tracer: the C++ client middleware, the server's RPC middleware and the
// store's child spans must form one trace.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/flight/client.h>

#include "quiver/server/rpc_telemetry.h"
#include "quiver/server/serve.h"
#include "quiver/telemetry/active_span.h"
#include "quiver/telemetry/flight/client_tracing_middleware.h"

#include "in_memory_exporter.h"
#include "testing/test_server.h"

namespace quiver {
namespace {

namespace flight = arrow::flight;
using telemetry::SpanData;

constexpr char kService[] = "arrow.flight.protocol.FlightService/";

int64_t IntAttribute(const SpanData& span, std::string_view key) {
  for (const auto& attribute : span.attributes) {
    if (attribute.key == key) return std::get<int64_t>(attribute.value);
  }
  ADD_FAILURE() << span.name << " has no " << key;
  return -1;
}

// On a local root and on an S3 root, whose requests are spans of their own.
class TracingIntegrationTest : public ::testing::TestWithParam<testing::Storage> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(arrow::compute::Initialize().ok());
    auto owned = std::make_unique<telemetry::testing::InMemoryExporter>();
    exporter_ = owned.get();
    tracer_ = telemetry::Tracer::Make(std::move(owned));

    server::ServeOptions options;
    server::RpcTelemetryOptions rpc;
    rpc.tracer = tracer_;
    options.middleware.emplace_back(server::kRpcTelemetryMiddlewareKey,
                                    server::MakeRpcTelemetryMiddlewareFactory(rpc));
    QUIVER_START_SERVER_OR_SKIP(server, GetParam(), store::StoreOptions::Defaults(),
                                std::move(options));
    server_ = std::move(server);

    flight::FlightClientOptions client_options = flight::FlightClientOptions::Defaults();
    client_options.middleware.push_back(
        telemetry::MakeClientTracingMiddlewareFactory(tracer_));
    auto client = flight::FlightClient::Connect(server_->location(), client_options);
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  arrow::Status Scenario(const std::shared_ptr<arrow::Table>& table) {
    auto descriptor = flight::FlightDescriptor::Path({"traced"});
    ARROW_ASSIGN_OR_RAISE(auto put, client_->DoPut(descriptor, table->schema()));
    ARROW_RETURN_NOT_OK(put.writer->WriteTable(*table));
    ARROW_RETURN_NOT_OK(put.writer->Close());
    ARROW_ASSIGN_OR_RAISE(auto reader, client_->DoGet(flight::Ticket{"traced"}));
    ARROW_ASSIGN_OR_RAISE(auto read, reader->ToTable());
    if (!read->Equals(*table)) return arrow::Status::Invalid("read back differs");
    if (client_->DoGet(flight::Ticket{"missing"}).ok()) {
      return arrow::Status::Invalid("reading a missing dataset succeeded");
    }
    return arrow::Status::OK();
  }

  telemetry::testing::InMemoryExporter* exporter_ = nullptr;
  std::shared_ptr<telemetry::Tracer> tracer_;
  std::unique_ptr<testing::TestServer> server_;
  std::unique_ptr<flight::FlightClient> client_;
};
INSTANTIATE_TEST_SUITE_P(Storage, TracingIntegrationTest, testing::AllStorages(),
                         testing::PrintStorage);

// The names of a span's ancestors among `spans`, nearest first.
std::vector<std::string> Ancestors(const SpanData& span,
                                   const std::vector<SpanData>& spans) {
  std::vector<std::string> names;
  const SpanData* at = &span;
  while (true) {
    auto parent = std::find_if(spans.begin(), spans.end(), [&](const SpanData& s) {
      return s.context.span_id == at->parent_span_id;
    });
    if (parent == spans.end()) return names;
    names.push_back(parent->name);
    at = &*parent;
  }
}

TEST_P(TracingIntegrationTest, ClientServerAndStorageSpansFormOneTrace) {
  arrow::Int64Builder builder;
  for (int64_t i = 0; i < 1000; ++i) ASSERT_TRUE(builder.Append(i).ok());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("x", arrow::int64())}),
                                  {*builder.Finish()});
  telemetry::SpanContext operation;
  {
    auto span = tracer_->StartSpan("operation");
    operation = span.context();
    telemetry::ScopedActiveSpan active(span);
    ASSERT_TRUE(Scenario(table).ok());
  }
  ASSERT_TRUE(tracer_->ForceFlush(std::chrono::seconds(30)));
  auto spans = exporter_->spans();

  std::map<std::string, std::vector<SpanData>> by_name;
  for (const auto& span : spans) {
    EXPECT_EQ(span.context.trace_id, operation.trace_id) << span.name;
    by_name[span.name].push_back(span);
  }
  ASSERT_EQ(by_name["client.DoPut"].size(), 1u);
  ASSERT_EQ(by_name[std::string(kService) + "DoPut"].size(), 1u);
  const SpanData& client_put = by_name["client.DoPut"][0];
  const SpanData& server_put = by_name[std::string(kService) + "DoPut"][0];
  EXPECT_EQ(client_put.parent_span_id, operation.span_id);
  EXPECT_EQ(server_put.parent_span_id, client_put.context.span_id);
  EXPECT_EQ(server_put.kind, telemetry::SpanKind::kServer);
  EXPECT_EQ(IntAttribute(server_put, "quiver.rows"), 1000);
  ASSERT_EQ(by_name["parquet.write"].size(), 1u);
  ASSERT_EQ(by_name["commit"].size(), 1u);
  EXPECT_EQ(by_name["parquet.write"][0].parent_span_id, server_put.context.span_id);
  EXPECT_EQ(by_name["commit"][0].parent_span_id, server_put.context.span_id);
  EXPECT_EQ(IntAttribute(by_name["parquet.write"][0], "quiver.rows"), 1000);

  auto& gets = by_name[std::string(kService) + "DoGet"];
  ASSERT_EQ(gets.size(), 2u);
  ASSERT_EQ(by_name["parquet.read"].size(), 1u);
  const SpanData& read = by_name["parquet.read"][0];
  EXPECT_EQ(IntAttribute(read, "quiver.rows"), 1000);
  int ok = 0, failed = 0;
  for (const auto& get : gets) {
    if (get.status == telemetry::SpanStatusCode::kOk) {
      ++ok;
      EXPECT_EQ(read.parent_span_id, get.context.span_id);
    } else {
      ++failed;
      EXPECT_EQ(IntAttribute(get, "rpc.grpc.status_code"), 5);
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(failed, 1);

  // Object-store requests (S3 roots) made on the call's thread are children of the
  // storage step that made them, inside the RPC: the part's uploads of parquet.write,
  // the manifest's conditional PUT of commit, the part's reads of parquet.read.
  std::map<std::string, std::string> step_of = {
      {"object_store.write", "parquet.write"},
      {"object_store.create_exclusive", "commit"},
      {"object_store.read", "parquet.read"}};
  std::map<std::string, int> requests;
  for (const auto& span : spans) {
    if (!span.name.starts_with("object_store.")) continue;
    ++requests[span.name];
    auto ancestors = Ancestors(span, spans);
    EXPECT_TRUE(std::any_of(ancestors.begin(), ancestors.end(),
                            [](const std::string& n) { return n.starts_with(kService); }))
        << span.name << " outside any RPC";
    auto step = step_of.find(span.name);
    if (step != step_of.end()) {
      EXPECT_NE(std::find(ancestors.begin(), ancestors.end(), step->second),
                ancestors.end())
          << span.name << " is not inside " << step->second;
    }
  }
  if (GetParam() == testing::Storage::kS3) {
    for (const auto& [name, step] : step_of) EXPECT_GT(requests[name], 0) << name;
  } else {
    EXPECT_TRUE(requests.empty());
  }
}

}  // namespace
}  // namespace quiver
