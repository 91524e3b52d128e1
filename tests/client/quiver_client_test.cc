#include "quiver/client/quiver_client.h"

#include <atomic>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arrow/api.h>
#include <arrow/flight/client_middleware.h>
#include <arrow/memory_pool.h>
#include <arrow/util/align_util.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"
#include "quiver/store/store_options.h"

namespace quiver::client {
namespace {

namespace flight = arrow::flight;

/// Counts the calls it sees and adds a header to each, as a tracing middleware would.
class CountingMiddlewareFactory : public flight::ClientMiddlewareFactory {
 public:
  void StartCall(const flight::CallInfo&,
                 std::unique_ptr<flight::ClientMiddleware>* middleware) override {
    ++calls;
    *middleware = std::make_unique<Middleware>();
  }
  std::atomic<int> calls{0};

 private:
  class Middleware : public flight::ClientMiddleware {
   public:
    void SendingHeaders(flight::AddCallHeaders* headers) override {
      headers->AddHeader("x-quiver-test", "1");
    }
    void ReceivedHeaders(const flight::CallHeaders&) override {}
    void CallCompleted(const arrow::Status&) override {}
  };
};

class QuiverClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("quiver-client-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    auto store_options = store::MakeLocalStoreOptions(root_.string());
    ASSERT_TRUE(store_options.ok()) << store_options.status().ToString();
    auto dataset_store = store::DatasetStore::Make(*store_options);
    ASSERT_TRUE(dataset_store.ok()) << dataset_store.status().ToString();
    server::ServeOptions serve_options;
    serve_options.listen = *flight::Location::ForGrpcTcp("127.0.0.1", 0);
    auto service = server::StartService(*dataset_store, std::move(serve_options));
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
    url_ = "grpc://127.0.0.1:" + std::to_string(service_->port());
  }

  void TearDown() override {
    if (service_) {
      EXPECT_TRUE(service_->Shutdown().ok());
    }
    std::filesystem::remove_all(root_);
  }

  std::unique_ptr<QuiverClient> Connect(
      ClientOptions options = ClientOptions::Defaults()) {
    options.server = url_;
    auto client = QuiverClient::Connect(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static std::shared_ptr<arrow::RecordBatch> Batch(int64_t first, int64_t rows) {
    arrow::Int64Builder values;
    for (int64_t i = 0; i < rows; ++i) EXPECT_TRUE(values.Append(first + i).ok());
    return arrow::RecordBatch::Make(arrow::schema({arrow::field("v", arrow::int64())}),
                                    rows, {*values.Finish()});
  }

  /// Upload rows [first, first + rows) of column "v" in one batch.
  static arrow::Status PutRows(QuiverClient& client, const std::string& name,
                               int64_t first, int64_t rows, PutMode mode) {
    auto batch = Batch(first, rows);
    ARROW_ASSIGN_OR_RAISE(auto put, client.OpenPut(name, batch->schema(), mode));
    ARROW_RETURN_NOT_OK(put.writer->WriteRecordBatch(*batch));
    ARROW_RETURN_NOT_OK(put.writer->DoneWriting());
    return put.writer->Close();
  }

  /// Every value of column "v" read through the info's endpoints.
  static arrow::Result<std::vector<int64_t>> ReadValues(QuiverClient& client,
                                                        const flight::FlightInfo& info) {
    std::vector<int64_t> values;
    for (const auto& endpoint : info.endpoints()) {
      ARROW_ASSIGN_OR_RAISE(auto stream, client.OpenEndpoint(endpoint));
      ARROW_ASSIGN_OR_RAISE(auto table, stream.reader->ToTable());
      for (const auto& received : table->GetColumnByName("v")->chunks()) {
        // Buffers received over Flight need not be aligned for int64 reads.
        ARROW_ASSIGN_OR_RAISE(auto chunk,
                              arrow::util::EnsureAlignment(received, alignof(int64_t),
                                                           arrow::default_memory_pool()));
        auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk);
        for (int64_t i = 0; i < ints->length(); ++i) values.push_back(ints->Value(i));
      }
    }
    return values;
  }

  static std::vector<int64_t> Range(int64_t first, int64_t end) {
    std::vector<int64_t> values;
    for (int64_t i = first; i < end; ++i) values.push_back(i);
    return values;
  }

  arrow::Status Put(QuiverClient& client, const std::string& name) {
    auto batch = Batch(0, 100);
    ARROW_ASSIGN_OR_RAISE(auto put, client.OpenPut(name, batch->schema()));
    ARROW_RETURN_NOT_OK(put.writer->WriteRecordBatch(*batch));
    ARROW_RETURN_NOT_OK(put.writer->WriteRecordBatch(*Batch(100, 50)));
    ARROW_RETURN_NOT_OK(put.writer->DoneWriting());
    return put.writer->Close();
  }

  std::filesystem::path root_;
  std::unique_ptr<server::QuiverService> service_;
  std::string url_;
};

TEST_F(QuiverClientTest, PutListInfoGetDrop) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "team/numbers").ok());

  auto listed = client->List("team/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(NameOf((*listed)[0].descriptor()), "team/numbers");
  EXPECT_TRUE(client->List("other/")->empty());

  auto info = client->GetInfo("team/numbers");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->total_records(), 150);
  EXPECT_GT(info->total_bytes(), 0);
  ASSERT_FALSE(info->endpoints().empty());

  auto stream = client->OpenEndpoint(info->endpoints()[0]);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  auto table = stream->reader->ToTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->num_rows(), 150);

  ASSERT_TRUE(client->Drop("team/numbers").ok());
  auto gone = client->GetInfo("team/numbers");
  EXPECT_TRUE(gone.status().IsKeyError()) << gone.status().ToString();
}

TEST_F(QuiverClientTest, DescriptorsAreThePathSegmentsOfTheName) {
  auto descriptor = DescriptorFor("a/b/c");
  EXPECT_EQ(descriptor.type, flight::FlightDescriptor::PATH);
  EXPECT_EQ(descriptor.path, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(NameOf(descriptor), "a/b/c");
}

TEST_F(QuiverClientTest, MiddlewareSeesEveryCall) {
  auto counting = std::make_shared<CountingMiddlewareFactory>();
  auto options = ClientOptions::Defaults();
  options.middleware.push_back(counting);
  auto client = Connect(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->List("").ok());
  ASSERT_TRUE(Put(*client, "x").ok());
  ASSERT_TRUE(client->GetInfo("x").ok());
  EXPECT_EQ(counting->calls.load(), 3);
}

TEST_F(QuiverClientTest, CallOptionsCarryDeadlineAndHeaders) {
  auto options = ClientOptions::Defaults();
  options.timeout_seconds = 2.5;
  auto client = Connect(options);
  ASSERT_NE(client, nullptr);
  client->SetHeader("authorization", "Bearer one");
  client->SetHeader("Authorization", "Bearer two");  // replaces, whatever the case
  auto call = client->CallOptions();
  EXPECT_DOUBLE_EQ(call.timeout.count(), 2.5);
  ASSERT_EQ(call.headers.size(), 1u);
  EXPECT_EQ(call.headers[0].first, "authorization");
  EXPECT_EQ(call.headers[0].second, "Bearer two");
  // quiverd without authentication accepts (ignores) the header.
  EXPECT_TRUE(client->List("").ok());
}

TEST_F(QuiverClientTest, LoginToAServerWithoutAuthenticationIsNotImplemented) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  auto login = client->Login("ann", "secret");
  EXPECT_TRUE(login.status().IsNotImplemented()) << login.status().ToString();
}

TEST_F(QuiverClientTest, AppendVersionsTimeTravelRestoreCompact) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  // Appending to a missing dataset creates it.
  ASSERT_TRUE(PutRows(*client, "shop/orders", 0, 10, PutMode::kAppend).ok());
  ASSERT_TRUE(PutRows(*client, "shop/orders", 10, 5, PutMode::kAppend).ok());
  ASSERT_TRUE(PutRows(*client, "shop/orders", 15, 5, PutMode::kAppend).ok());

  auto versions = client->ListVersions("shop/orders");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[2].version, 3);
  EXPECT_EQ((*versions)[2].operation, "append");
  EXPECT_EQ((*versions)[0].rows, 10);
  EXPECT_EQ((*versions)[2].rows, 20);
  EXPECT_EQ((*versions)[2].parts, 3);
  EXPECT_EQ((*versions)[2].dataset, "shop/orders");
  EXPECT_TRUE((*versions)[2].committed_at.ends_with("Z"));

  // The current version, then version 1 by number and by time.
  auto current = client->GetInfo("shop/orders");
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(VersionOf(*current)->version, 3);
  EXPECT_EQ(*ReadValues(*client, *current), Range(0, 20));
  auto first = client->GetInfo("shop/orders", VersionSelector::Version(1));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->total_records(), 10);
  EXPECT_EQ(VersionOf(*first)->version, 1);
  EXPECT_EQ(NameOf(first->descriptor()), "shop/orders");
  EXPECT_EQ(*ReadValues(*client, *first), Range(0, 10));
  auto as_of =
      client->GetInfo("shop/orders", VersionSelector::AsOf((*versions)[1].committed_at));
  ASSERT_TRUE(as_of.ok()) << as_of.status().ToString();
  EXPECT_EQ(VersionOf(*as_of)->version, 2);
  EXPECT_EQ(*ReadValues(*client, *as_of), Range(0, 15));

  // Unknown versions and times before the first version are not found.
  auto missing = client->GetInfo("shop/orders", VersionSelector::Version(99));
  EXPECT_TRUE(missing.status().IsKeyError()) << missing.status().ToString();
  auto too_early =
      client->GetInfo("shop/orders", VersionSelector::AsOf("2000-01-01T00:00:00Z"));
  EXPECT_TRUE(too_early.status().IsKeyError()) << too_early.status().ToString();
  auto bad_time = client->GetInfo("shop/orders", VersionSelector::AsOf("noon"));
  EXPECT_TRUE(bad_time.status().IsInvalid()) << bad_time.status().ToString();

  // Restore makes version 1's rows current again, as version 4.
  auto restored = client->Restore("shop/orders", 1);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->version, 4);
  EXPECT_EQ(restored->operation, "restore");
  EXPECT_EQ(restored->restored_from, 1);
  EXPECT_EQ(restored->rows, 10);
  EXPECT_EQ(*ReadValues(*client, *client->GetInfo("shop/orders")), Range(0, 10));
  EXPECT_TRUE(client->Restore("shop/orders", 42).status().IsKeyError());

  // Compact the three parts of version 3 (restored again) into fewer, same rows.
  ASSERT_TRUE(client->Restore("shop/orders", 3).ok());
  auto compacted = client->Compact("shop/orders");
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  EXPECT_EQ(compacted->version, 6);
  EXPECT_EQ(compacted->operation, "compact");
  EXPECT_EQ(compacted->rows, 20);
  EXPECT_LT(compacted->parts, 3);
  EXPECT_EQ(*ReadValues(*client, *client->GetInfo("shop/orders")), Range(0, 20));
  EXPECT_EQ(client->ListVersions("shop/orders")->size(), 6u);

  EXPECT_TRUE(client->ListVersions("nope").status().IsKeyError());
  EXPECT_TRUE(client->Compact("nope").status().IsKeyError());
}

TEST_F(QuiverClientTest, AppendWithAnotherSchemaIsRefused) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(PutRows(*client, "t", 0, 10, PutMode::kOverwrite).ok());
  auto other = arrow::schema({arrow::field("w", arrow::utf8())});
  arrow::StringBuilder text;
  ASSERT_TRUE(text.Append("x").ok());
  auto batch = arrow::RecordBatch::Make(other, 1, {*text.Finish()});
  auto put = client->OpenPut("t", other, PutMode::kAppend);
  arrow::Status status = put.status();
  if (status.ok()) status = put->writer->WriteRecordBatch(*batch);
  if (status.ok()) status = put->writer->DoneWriting();
  if (put.ok()) {
    auto closed = put->writer->Close();
    if (status.ok() || !closed.ok()) status = closed;
  }
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
  EXPECT_EQ(client->GetInfo("t")->total_records(), 10);
}

TEST(DatasetRequest, CurrentReadsAndOverwritesUseThePathOfTheName) {
  auto read = ReadDescriptor("a/b", VersionSelector::Current());
  EXPECT_EQ(read.type, flight::FlightDescriptor::PATH);
  EXPECT_EQ(read.path, (std::vector<std::string>{"a", "b"}));
  auto put = PutDescriptor("a/b", PutMode::kOverwrite);
  EXPECT_EQ(put.type, flight::FlightDescriptor::PATH);
  EXPECT_EQ(put.path, (std::vector<std::string>{"a", "b"}));
}

TEST(DatasetRequest, VersionsAndAppendsAreJsonCommands) {
  // A name with characters JSON must escape stays one string.
  const std::string name = "odd/na\"me";
  auto version = ReadDescriptor(name, VersionSelector::Version(7));
  ASSERT_EQ(version.type, flight::FlightDescriptor::CMD);
  EXPECT_EQ(nlohmann::json::parse(version.cmd),
            (nlohmann::json{{"dataset", name}, {"version", 7}}));
  EXPECT_EQ(NameOf(version), name);
  auto as_of = ReadDescriptor(name, VersionSelector::AsOf("2026-12-01T22:00:00Z"));
  EXPECT_EQ(nlohmann::json::parse(as_of.cmd),
            (nlohmann::json{{"dataset", name}, {"as_of", "2026-12-01T22:00:00Z"}}));
  auto append = PutDescriptor(name, PutMode::kAppend);
  ASSERT_EQ(append.type, flight::FlightDescriptor::CMD);
  EXPECT_EQ(nlohmann::json::parse(append.cmd),
            (nlohmann::json{{"dataset", name}, {"mode", "append"}}));
  EXPECT_EQ(nlohmann::json::parse(DatasetActionBody(name, 3)),
            (nlohmann::json{{"dataset", name}, {"version", 3}}));
  EXPECT_EQ(nlohmann::json::parse(DatasetActionBody(name)),
            (nlohmann::json{{"dataset", name}}));
  // A command that is not JSON names itself.
  EXPECT_EQ(NameOf(flight::FlightDescriptor::Command("plain")), "plain");
}

TEST(ParseVersionInfo, ReadsTheServersObject) {
  auto version = ParseVersionInfo(
      R"({"dataset":"a/b","version":4,"committed_at":"2026-12-01T22:00:00.000000Z",)"
      R"("operation":"restore","rows":10,"bytes":900,"parts":2,"restored_from":1,)"
      R"("future_field":[1,2]})");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->dataset, "a/b");
  EXPECT_EQ(version->version, 4);
  EXPECT_EQ(version->committed_at, "2026-12-01T22:00:00.000000Z");
  EXPECT_EQ(version->operation, "restore");
  EXPECT_EQ(version->rows, 10);
  EXPECT_EQ(version->bytes, 900);
  EXPECT_EQ(version->parts, 2);
  EXPECT_EQ(version->restored_from, 1);
}

TEST(ParseVersionInfo, RefusesMalformedAnswersNamingTheMember) {
  const char* base =
      R"("dataset":"a","committed_at":"2026-12-01T22:00:00Z","operation":"append")";
  for (const std::string& bad :
       {std::string("not json"), std::string("[1]"), std::string("{") + base + "}",
        std::string(R"({"version":"1",)") + base + "}",
        std::string(R"({"version":0,)") + base + "}",
        std::string(R"({"version":1,"rows":1.5,)") + base + "}",
        std::string(R"({"version":1,"dataset":"a","operation":"x"})")}) {
    auto parsed = ParseVersionInfo(bad);
    EXPECT_TRUE(parsed.status().IsIOError()) << bad;
  }
  auto no_version = ParseVersionInfo(std::string("{") + base + "}");
  EXPECT_NE(no_version.status().message().find("'version'"), std::string::npos);
}

TEST(QuiverClientConnect, RefusesHalfAKeyPairAndBadUrls) {
  auto options = ClientOptions::Defaults();
  options.cert_chain = "-----BEGIN CERTIFICATE-----";
  EXPECT_TRUE(QuiverClient::Connect(options).status().IsInvalid());
  options = ClientOptions::Defaults();
  options.server = "grpc://[not a host";
  EXPECT_TRUE(QuiverClient::Connect(options).status().IsInvalid());
}

TEST(ParseServerLocation, AddsTheSchemeToABareHostPort) {
  EXPECT_EQ(ParseServerLocation("db:8815", false)->ToString(), "grpc://db:8815");
  EXPECT_EQ(ParseServerLocation("db:8815", true)->ToString(), "grpc+tls://db:8815");
  EXPECT_EQ(ParseServerLocation("grpc+tls://db:1", false)->ToString(), "grpc+tls://db:1");
  EXPECT_TRUE(ParseServerLocation("", false).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::client
