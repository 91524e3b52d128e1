// Round trips through a real quiver server and a real Flight client.
#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/table.h>

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/test_server.h"

namespace quiver::testing {
namespace {

namespace flight = arrow::flight;

// Each test runs on a local root and on an S3 root (the S3 test server).
class RoundTripTest : public ::testing::TestWithParam<Storage> {};
INSTANTIATE_TEST_SUITE_P(Storage, RoundTripTest, AllStorages(), PrintStorage);

TEST_P(RoundTripTest, EveryArrowTypeWithNullsComesBackExactly) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto table = AllTypesTable(5000);
  ASSERT_OK(table->ValidateFull());
  ASSERT_OK(Upload(server->client(), {"types"}, *table, 1000));
  auto back = Download(server->client(), {"types"});
  ASSERT_OK(back.status());
  ASSERT_TRUE((*back)->schema()->Equals(*table->schema()))
      << (*back)->schema()->ToString() << "\nvs\n"
      << table->schema()->ToString();
  for (int i = 0; i < table->num_columns(); ++i) {
    EXPECT_TRUE((*back)->column(i)->Equals(*table->column(i)))
        << "column " << table->schema()->field(i)->ToString();
  }
  auto info = server->client().GetFlightInfo(flight::FlightDescriptor::Path({"types"}));
  ASSERT_OK(info.status());
  EXPECT_EQ((*info)->total_records(), 5000);
  EXPECT_GT((*info)->total_bytes(), 0);
}

TEST_P(RoundTripTest, MillionRowsStreamInManyBatches) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto table = IntTable(256, 4096);  // 1,048,576 rows
  ASSERT_OK(Upload(server->client(), {"big", "ints"}, *table, 4096));

  auto& client = server->client();
  auto info = client.GetFlightInfo(flight::FlightDescriptor::Path({"big", "ints"}));
  ASSERT_OK(info.status());
  EXPECT_EQ((*info)->total_records(), 1 << 20);
  ASSERT_EQ((*info)->endpoints().size(), 1u);
  EXPECT_TRUE((*info)->endpoints()[0].locations.empty());  // "this same service"
  auto stream = client.DoGet((*info)->endpoints()[0].ticket);
  ASSERT_OK(stream.status());
  int64_t batches = 0, rows = 0, expected = 0;
  bool in_order = true;
  while (true) {
    auto chunk = (*stream)->Next();
    ASSERT_OK(chunk.status());
    if (!chunk->data) break;
    ++batches;
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk->data->column(0));
    for (int64_t i = 0; i < ints->length(); ++i) in_order &= ints->Value(i) == expected++;
    rows += chunk->data->num_rows();
  }
  EXPECT_EQ(rows, 1 << 20);
  EXPECT_TRUE(in_order);
  EXPECT_GE(batches, 8);  // streamed, not one giant batch
}

TEST_P(RoundTripTest, BareNameTicketAndGetSchemaWork) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto& client = server->client();
  ASSERT_OK(Upload(client, {"uploaded.parquet"}, *IntTable(1, 3)));
  auto stream = client.DoGet(flight::Ticket{"uploaded.parquet"});
  ASSERT_OK(stream.status());
  auto table = (*stream)->ToTable();
  ASSERT_OK(table.status());
  EXPECT_EQ((*table)->num_rows(), 3);
  auto schema = client.GetSchema(flight::FlightDescriptor::Path({"uploaded.parquet"}));
  ASSERT_OK(schema.status());
  arrow::ipc::DictionaryMemo memo;
  EXPECT_TRUE((*schema)->GetSchema(&memo).ValueOrDie()->Equals(*IntBatch(1)->schema()));
}

TEST_P(RoundTripTest, ListFlightsFiltersByPrefixAndOverwriteReplaces) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto& client = server->client();
  for (const char* n : {"sales", "salesman", "other"}) {
    ASSERT_OK(Upload(client, {n}, *IntTable(1, 10)));
  }
  ASSERT_OK(Upload(client, {"sales"}, *IntTable(2, 10)));  // overwrite: 20 rows
  auto all = client.ListFlights();
  ASSERT_OK(all.status());
  int count = 0;
  while (auto info = (*all)->Next().ValueOrDie()) ++count;
  EXPECT_EQ(count, 3);
  auto sales = client.ListFlights(flight::FlightCallOptions{}, flight::Criteria{"sales"});
  ASSERT_OK(sales.status());
  std::vector<std::string> names;
  while (auto info = (*sales)->Next().ValueOrDie()) {
    names.push_back(info->descriptor().path[0]);
    if (names.back() == "sales") {
      EXPECT_EQ(info->total_records(), 20);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"sales", "salesman"}));
}

}  // namespace
}  // namespace quiver::testing

namespace quiver::testing {
namespace {

// Local root only: where datasets live plays no part in endpoints.
TEST(EndpointsTest, AdvertisedLocationsAppearInEndpoints) {
  server::ServeOptions options;
  options.advertise.push_back(
      arrow::flight::Location::Parse("grpc+tls://data.example.com:443").ValueOrDie());
  auto server = TestServer::Make(store::StoreOptions::Defaults(), std::move(options));
  ASSERT_OK(server.status());
  ASSERT_OK(Upload((*server)->client(), {"adv"}, *IntTable(1, 5)));
  auto info =
      (*server)->client().GetFlightInfo(arrow::flight::FlightDescriptor::Path({"adv"}));
  ASSERT_OK(info.status());
  ASSERT_EQ((*info)->endpoints().size(), 1u);
  ASSERT_EQ((*info)->endpoints()[0].locations.size(), 1u);
  EXPECT_EQ((*info)->endpoints()[0].locations[0].ToString(),
            "grpc+tls://data.example.com:443");
}

}  // namespace
}  // namespace quiver::testing
