// Authorization over the wire: what each role may do, grants, and that a refused call
// writes or deletes nothing.
#include <gtest/gtest.h>

#include <arrow/flight/client.h>

#include "auth/auth_testing.h"

namespace quiver {
namespace {

namespace flight = arrow::flight;
using flight::FlightStatusCode;
using testing::CodeOf;
using testing::kPassword;
using testing::WithHeader;

class AuthRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::AuthServer::Start({});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto client = server_->Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(*client);
    // Seed two datasets as the writer.
    ASSERT_TRUE(
        testing::PutAs(*client_, As("wendy"), "public/a", testing::SmallTable()).ok());
    ASSERT_TRUE(
        testing::PutAs(*client_, As("wendy"), "sales/q1", testing::SmallTable()).ok());
  }

  flight::FlightCallOptions As(const std::string& user) {
    auto token = client_->AuthenticateBasicToken({}, user, kPassword);
    EXPECT_TRUE(token.ok()) << token.status();
    return WithHeader(token.ValueOr({}));
  }

  void ExpectDenied(const arrow::Status& status, const std::string& operation) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(CodeOf(status), FlightStatusCode::Unauthorized) << status;
    EXPECT_NE(status.message().find(operation), std::string::npos) << status;
  }

  arrow::Result<std::vector<std::string>> Names(const flight::FlightCallOptions& call) {
    ARROW_ASSIGN_OR_RAISE(auto listing, client_->ListFlights(call, {}));
    std::vector<std::string> names;
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto info, listing->Next());
      if (!info) break;
      std::string name;
      for (const auto& segment : info->descriptor().path) {
        name += (name.empty() ? "" : "/") + segment;
      }
      names.push_back(name);
    }
    return names;
  }

  arrow::Status Schema(const flight::FlightCallOptions& call, const std::string& name) {
    auto parsed = store::DatasetName::Parse(name).ValueOrDie();
    return client_->GetSchema(call, flight::FlightDescriptor::Path(parsed.segments()))
        .status();
  }

  std::unique_ptr<testing::AuthServer> server_;
  std::unique_ptr<flight::FlightClient> client_;
};

TEST_F(AuthRolesTest, ReaderReadsEverything) {
  auto reader = As("rita");
  EXPECT_EQ(Names(reader).ValueOr({}).size(), 2u);
  EXPECT_TRUE(Schema(reader, "public/a").ok());
  EXPECT_EQ(testing::RowsOf(*client_, reader, "public/a").ValueOr(-1), 3);
  EXPECT_TRUE(client_->ListActions(reader).ok());
  EXPECT_TRUE(testing::RunAction(*client_, reader, "health_check", "").ok());
}

TEST_F(AuthRolesTest, ReaderCannotWriteAndNothingIsWritten) {
  auto reader = As("rita");
  ExpectDenied(testing::PutAs(*client_, reader, "public/new", testing::SmallTable()),
               "DoPut");
  ExpectDenied(testing::PutAs(*client_, reader, "public/a", testing::SmallTable()),
               "DoPut");
  EXPECT_FALSE(
      server_->store->Get(store::DatasetName::Parse("public/new").ValueOrDie()).ok());
  EXPECT_EQ(server_->store->Get(store::DatasetName::Parse("public/a").ValueOrDie())
                .ValueOrDie()
                .num_rows,
            3);
}

TEST_F(AuthRolesTest, ReaderCannotDropAndNothingIsDeleted) {
  auto reader = As("rita");
  auto status = testing::RunAction(*client_, reader, "drop_dataset", "public/a");
  ExpectDenied(status, "drop_dataset");
  EXPECT_NE(status.message().find("rita"), std::string::npos);
  EXPECT_NE(status.message().find("writer"), std::string::npos);
  EXPECT_EQ(server_->store->dataset_count(), 2u);
}

TEST_F(AuthRolesTest, WriterWritesAndDrops) {
  auto writer = As("wendy");
  ASSERT_TRUE(testing::PutAs(*client_, writer, "public/b", testing::SmallTable()).ok());
  EXPECT_EQ(testing::RowsOf(*client_, writer, "public/b").ValueOr(-1), 3);
  ASSERT_TRUE(testing::RunAction(*client_, writer, "drop_dataset", "public/b").ok());
  EXPECT_EQ(server_->store->dataset_count(), 2u);
}

TEST_F(AuthRolesTest, AdminDoesEverythingAWriterDoes) {
  auto admin = As("adam");
  ASSERT_TRUE(testing::PutAs(*client_, admin, "public/c", testing::SmallTable()).ok());
  ASSERT_TRUE(testing::RunAction(*client_, admin, "drop_dataset", "public/c").ok());
  EXPECT_EQ(Names(admin).ValueOr({}).size(), 2u);
}

TEST_F(AuthRolesTest, GrantsLimitDatasets) {
  auto greta = As("greta");  // writer, grants: sales
  ASSERT_TRUE(testing::PutAs(*client_, greta, "sales/q2", testing::SmallTable()).ok());
  EXPECT_EQ(testing::RowsOf(*client_, greta, "sales/q1").ValueOr(-1), 3);
  ExpectDenied(testing::PutAs(*client_, greta, "public/x", testing::SmallTable()),
               "DoPut");
  ExpectDenied(Schema(greta, "public/a"), "GetSchema");
  ExpectDenied(testing::RowsOf(*client_, greta, "public/a").status(), "GetFlightInfo");
  ExpectDenied(testing::RunAction(*client_, greta, "drop_dataset", "public/a"),
               "drop_dataset");
  // DoGet with a bare ticket is checked too (not only GetFlightInfo).
  auto get = client_->DoGet(greta, flight::Ticket{"public/a"});
  arrow::Status get_status = get.status();
  if (get.ok()) get_status = (*get)->ToTable().status();
  ExpectDenied(get_status, "DoGet");
  // Listing shows only granted datasets.
  auto names = Names(greta);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"sales/q1", "sales/q2"}));
  EXPECT_EQ(server_->store->dataset_count(), 3u);
}

// GetSchema's refusal is sent as GetFlightInfo's: one Flight detail (PERMISSION_DENIED),
// its text once. (pyarrow's get_schema alone raises it as a plain OSError and repeats
// the detail: tests/interop/test_error_classes.py.)
TEST_F(AuthRolesTest, GetSchemaIsRefusedAsGetFlightInfoIs) {
  auto greta = As("greta");
  auto schema = Schema(greta, "public/a");
  auto info =
      client_->GetFlightInfo(greta, flight::FlightDescriptor::Path({"public", "a"}))
          .status();
  ExpectDenied(schema, "GetSchema");
  ExpectDenied(info, "GetFlightInfo");
  std::string expected = info.message();
  expected.replace(expected.find("GetFlightInfo"), 13, "GetSchema");
  EXPECT_EQ(schema.message(), expected);
  EXPECT_EQ(schema.code(), info.code());
  const std::string detail = "Detail: Unauthorized";
  auto first = schema.message().find(detail);
  ASSERT_NE(first, std::string::npos) << schema;
  EXPECT_EQ(schema.message().find(detail, first + 1), std::string::npos) << schema;
}

TEST_F(AuthRolesTest, ListActionsShowsLogout) {
  auto actions = client_->ListActions(As("rita"));
  ASSERT_TRUE(actions.ok());
  bool logout = false;
  for (const auto& action : *actions) logout |= action.type == "logout";
  EXPECT_TRUE(logout);
}

}  // namespace
}  // namespace quiver
