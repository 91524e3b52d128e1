#include "quiver/client/quiver_client.h"

#include <atomic>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <arrow/api.h>
#include <arrow/flight/client_middleware.h>

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
