// The server layer's access-control seam, independent of quiver_auth: every RPC asks the
// installed Authorizer before touching the store, and extra actions plug in.
#include "quiver/server/authorizer.h"

#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include <arrow/flight/client.h>
#include <arrow/table.h>

#include "testing/data.h"
#include "testing/test_server.h"

namespace quiver::server {
namespace {

namespace flight = arrow::flight;

/// Allows everything except the operations in `denied`; records every question.
class RecordingAuthorizer : public Authorizer {
 public:
  arrow::Status Authorize(const flight::ServerCallContext&, Operation operation,
                          const store::DatasetName* dataset) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string name = dataset ? dataset->ToString() : "-";
    asked.push_back(std::string(OperationName(operation)) + " " + name);
    if (denied.count(operation) != 0 || denied_datasets.count(name) != 0) {
      return flight::MakeFlightError(flight::FlightStatusCode::Unauthorized,
                                     "denied " + std::string(OperationName(operation)));
    }
    return arrow::Status::OK();
  }

  std::mutex mutex_;
  std::set<Operation> denied;
  std::set<std::string> denied_datasets;
  std::vector<std::string> asked;
};

class PingAction : public ActionHandler {
 public:
  flight::ActionType type() const override { return {"ping", "answers pong"}; }
  Operation operation() const override { return Operation::kSessionAction; }
  arrow::Result<std::vector<flight::Result>> Run(const flight::ServerCallContext&,
                                                 const flight::Action&) override {
    ++runs;
    std::vector<flight::Result> results;
    results.push_back(flight::Result{arrow::Buffer::FromString("pong")});
    return results;
  }
  int runs = 0;
};

class AuthorizerSeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    authorizer_ = std::make_shared<RecordingAuthorizer>();
    ping_ = std::make_shared<PingAction>();
    ServeOptions serve;
    serve.extensions.authorizer = authorizer_;
    serve.extensions.actions.push_back(ping_);
    auto server =
        testing::TestServer::Make(store::StoreOptions::Defaults(), std::move(serve));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ASSERT_TRUE(testing::Upload(client(), {"a"}, *testing::IntTable(1, 10)).ok());
    ASSERT_TRUE(testing::Upload(client(), {"b"}, *testing::IntTable(1, 10)).ok());
    authorizer_->asked.clear();
  }

  flight::FlightClient& client() { return server_->client(); }

  arrow::Status Action(const std::string& type, const std::string& body) {
    ARROW_ASSIGN_OR_RAISE(auto results,
                          client().DoAction({type, arrow::Buffer::FromString(body)}));
    return results->Drain();
  }

  static void ExpectDenied(const arrow::Status& status) {
    auto detail = flight::FlightStatusDetail::UnwrapStatus(status);
    ASSERT_NE(detail, nullptr) << status;
    EXPECT_EQ(detail->code(), flight::FlightStatusCode::Unauthorized) << status;
  }

  std::shared_ptr<RecordingAuthorizer> authorizer_;
  std::shared_ptr<PingAction> ping_;
  std::unique_ptr<testing::TestServer> server_;
};

TEST_F(AuthorizerSeamTest, EveryOperationAsksWithItsDataset) {
  ASSERT_TRUE(client().ListFlights().ok());
  auto descriptor = flight::FlightDescriptor::Path({"a"});
  auto info = client().GetFlightInfo(descriptor);
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(client().GetSchema(descriptor).ok());
  ASSERT_TRUE(testing::Download(client(), {"a"}).ok());
  ASSERT_TRUE(testing::Upload(client(), {"c"}, *testing::IntTable(1, 5)).ok());
  ASSERT_TRUE(Action("drop_dataset", "c").ok());
  ASSERT_TRUE(Action("health_check", "").ok());
  ASSERT_TRUE(client().ListActions().ok());
  ASSERT_TRUE(Action("ping", "").ok());
  EXPECT_EQ(ping_->runs, 1);
  std::vector<std::string> expected = {
      "ListFlights -",  "ListFlights a",   "ListFlights b", "GetFlightInfo a",
      "GetSchema a",    "GetFlightInfo a", "DoGet a",       "DoPut c",
      "drop_dataset c", "health_check -",  "ListActions -", "session action -"};
  EXPECT_EQ(authorizer_->asked, expected);
}

TEST_F(AuthorizerSeamTest, DeniedOperationsTouchNothing) {
  authorizer_->denied = {
      Operation::kListFlights, Operation::kGetFlightInfo, Operation::kGetSchema,
      Operation::kDoGet,       Operation::kDoPut,         Operation::kDropDataset,
      Operation::kHealthCheck, Operation::kListActions,   Operation::kSessionAction};
  ExpectDenied(client().ListFlights().status());
  auto descriptor = flight::FlightDescriptor::Path({"a"});
  ExpectDenied(client().GetFlightInfo(descriptor).status());
  ExpectDenied(client().GetSchema(descriptor).status());
  auto get = client().DoGet(flight::Ticket{"a"});
  ExpectDenied(get.ok() ? (*get)->ToTable().status() : get.status());
  ExpectDenied(testing::Upload(client(), {"new"}, *testing::IntTable(1, 5)));
  ExpectDenied(testing::Upload(client(), {"a"}, *testing::IntTable(1, 5)));
  ExpectDenied(Action("drop_dataset", "a"));
  ExpectDenied(Action("health_check", ""));
  ExpectDenied(client().ListActions().status());
  ExpectDenied(Action("ping", ""));
  EXPECT_EQ(ping_->runs, 0);
  // Nothing written, nothing deleted.
  EXPECT_EQ(server_->store().dataset_count(), 2u);
  EXPECT_EQ(server_->store().Get(store::DatasetName::Parse("a").ValueOrDie())->num_rows,
            10);
}

TEST_F(AuthorizerSeamTest, ListingLeavesOutDeniedDatasets) {
  authorizer_->denied_datasets = {"b"};
  auto listing = client().ListFlights();
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> names;
  while (true) {
    auto info = (*listing)->Next();
    ASSERT_TRUE(info.ok());
    if (!*info) break;
    names.push_back((*info)->descriptor().path[0]);
  }
  EXPECT_EQ(names, std::vector<std::string>{"a"});
}

TEST_F(AuthorizerSeamTest, ExtraActionsAreListed) {
  auto actions = client().ListActions();
  ASSERT_TRUE(actions.ok());
  ASSERT_FALSE(actions->empty());
  EXPECT_EQ(actions->back().type, "ping");
}

}  // namespace
}  // namespace quiver::server
