// Bad input gets the right Flight status, a clear message, and no server path.
#include <gtest/gtest.h>

#include <arrow/compute/expression.h>
#include <arrow/flight/types.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/model/storage_error.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/test_server.h"

namespace quiver::testing {
namespace {

namespace flight = arrow::flight;

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(Storage::kLocal); }
  void Start(Storage storage) {
    QUIVER_START_SERVER_OR_SKIP(server, storage);
    server_ = std::move(server);
  }
  flight::FlightClient& client() { return server_->client(); }

  void ExpectClean(const arrow::Status& st) {
    EXPECT_EQ(st.message().find(server_->root()), std::string::npos) << st.ToString();
  }

  std::unique_ptr<TestServer> server_;
};

// Look-ups that miss read the storage on an S3 root (another node may have written
// the dataset): on both roots.
class NotFoundTest : public ErrorsTest, public ::testing::WithParamInterface<Storage> {
 protected:
  void SetUp() override { Start(GetParam()); }
};
INSTANTIATE_TEST_SUITE_P(Storage, NotFoundTest, AllStorages(), PrintStorage);

TEST_P(NotFoundTest, UnknownDatasetIsNotFoundNamingIt) {
  auto info = client().GetFlightInfo(flight::FlightDescriptor::Path({"missing"}));
  ASSERT_TRUE(info.status().IsKeyError()) << info.status().ToString();
  EXPECT_NE(info.status().message().find("missing"), std::string::npos);
  ExpectClean(info.status());
  auto stream = client().DoGet(flight::Ticket{"missing"});
  arrow::Status st = stream.status();
  if (st.ok()) st = (*stream)->ToTable().status();
  EXPECT_TRUE(st.IsKeyError()) << st.ToString();
  auto drop = client().DoAction(
      flight::Action{"drop_dataset", arrow::Buffer::FromString("missing")});
  st = drop.status();
  if (st.ok()) st = (*drop)->Drain();
  EXPECT_TRUE(st.IsKeyError()) << st.ToString();
  auto schema = client().GetSchema(flight::FlightDescriptor::Path({"missing"}));
  EXPECT_TRUE(schema.status().IsKeyError());
}

// (Non-UTF-8 path segments never reach quiver: protobuf refuses them on the wire.)
TEST_F(ErrorsTest, HostileNamesAreInvalidArgument) {
  for (auto path : std::vector<std::vector<std::string>>{{".."},
                                                         {"..", "etc", "passwd"},
                                                         {"/etc/passwd"},
                                                         {"a/../../b"},
                                                         {""},
                                                         {std::string("nul\0byte", 8)},
                                                         {std::string(300, 'x')},
                                                         {}}) {
    auto info = client().GetFlightInfo(flight::FlightDescriptor::Path(path));
    EXPECT_TRUE(info.status().IsInvalid()) << info.status().ToString();
    ExpectClean(info.status());
    auto put =
        client().DoPut(flight::FlightDescriptor::Path(path), IntBatch(1)->schema());
    arrow::Status st = put.status();
    if (st.ok()) {
      (void)put->writer->WriteRecordBatch(*IntBatch(1));
      st = put->writer->Close();
    }
    EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  }
  for (const char* ticket : {"../../etc/passwd", "/etc/passwd", ".quiver/1/../x", ""}) {
    auto stream = client().DoGet(flight::Ticket{ticket});
    arrow::Status st = stream.status();
    if (st.ok()) st = (*stream)->ToTable().status();
    EXPECT_TRUE(st.IsInvalid()) << ticket << ": " << st.ToString();
  }
  // Nothing escaped the root.
  EXPECT_EQ(server_->store().dataset_count(), 0u);
}

TEST_F(ErrorsTest, CommandDescriptorsAreInvalidArgument) {
  auto info = client().GetFlightInfo(flight::FlightDescriptor::Command("SELECT 1"));
  EXPECT_TRUE(info.status().IsInvalid()) << info.status().ToString();
}

TEST_F(ErrorsTest, UnknownActionIsUnimplementedNamingIt) {
  auto result = client().DoAction(flight::Action{"explode", nullptr});
  arrow::Status st = result.status();
  if (st.ok()) st = (*result)->Drain();
  EXPECT_TRUE(st.IsNotImplemented()) << st.ToString();
  EXPECT_NE(st.message().find("explode"), std::string::npos);
}

// The RPCs quiver does not serve answer UNIMPLEMENTED (Flight's default), not INTERNAL.
TEST_F(ErrorsTest, PollFlightInfoAndDoExchangeAreUnimplemented) {
  ASSERT_OK(Upload(client(), {"d"}, *IntTable(1, 10)));
  auto poll = client().PollFlightInfo(flight::FlightDescriptor::Path({"d"}));
  EXPECT_TRUE(poll.status().IsNotImplemented()) << poll.status().ToString();
  auto exchange = client().DoExchange(flight::FlightDescriptor::Path({"d"}));
  arrow::Status st = exchange.status();
  if (st.ok()) {
    st = exchange->writer->Close();
    if (st.ok()) st = exchange->reader->ToTable().status();
  }
  EXPECT_TRUE(st.IsNotImplemented()) << st.ToString();
}

// A client's filter that fails on the rows (integer division by zero) is the client's
// error, not a storage failure: the read's storage-failure wrapper keeps it.
TEST_F(ErrorsTest, AFilterFailingOnTheRowsIsTheClientsError) {
  namespace cp = arrow::compute;
  ASSERT_OK(Upload(client(), {"d"}, *IntTable(1, 10)));
  ASSERT_OK_AND_ASSIGN(auto info, server_->store().Get(*store::DatasetName::Parse("d")));
  store::ReadSpec spec;
  spec.filter =
      cp::greater(cp::call("divide", {cp::field_ref("x"), cp::literal(int64_t{0})}),
                  cp::literal(int64_t{1}));
  ASSERT_OK_AND_ASSIGN(auto reader, server_->store().OpenReader(info, spec));
  auto table = reader->ToTable();
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(table.status().IsInvalid()) << table.status().ToString();
  EXPECT_FALSE(store::IsStorageFailure(table.status()));
  EXPECT_NE(table.status().message().find("divide by zero"), std::string::npos);
}

TEST_F(ErrorsTest, ListActionsAndHealthCheck) {
  auto actions = client().ListActions();
  ASSERT_OK(actions.status());
  std::vector<std::string> types;
  for (const auto& a : *actions) types.push_back(a.type);
  EXPECT_NE(std::find(types.begin(), types.end(), "drop_dataset"), types.end());
  auto result = client().DoAction(flight::Action{"health_check", nullptr});
  ASSERT_OK(result.status());
  auto first = (*result)->Next();
  ASSERT_OK(first.status());
  ASSERT_NE(*first, nullptr);
  EXPECT_NE((*first)->body->ToString().find("\"ok\""), std::string::npos);
}

}  // namespace
}  // namespace quiver::testing
