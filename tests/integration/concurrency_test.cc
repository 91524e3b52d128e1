// Readers, writers and droppers at the same time: no torn reads, no partial commits.
#include <chrono>
#include <thread>

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
class ConcurrencyTest : public ::testing::TestWithParam<Storage> {};
INSTANTIATE_TEST_SUITE_P(Storage, ConcurrencyTest, AllStorages(), PrintStorage);

size_t CountUncommitted(const TestServer& server) {
  auto files = server.UncommittedFiles();
  EXPECT_TRUE(files.ok()) << files.status().ToString();
  return files.ok() ? files->size() : 0;
}

TEST_P(ConcurrencyTest, OverwriteAndDropWhileStreamingFinishWithTheOldData) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto& client = server->client();
  ASSERT_OK(Upload(client, {"live"}, *IntTable(64, 16384)));  // 1,048,576 rows

  auto stream = client.DoGet(flight::Ticket{"live"});
  ASSERT_OK(stream.status());
  auto first = (*stream)->Next();
  ASSERT_OK(first.status());
  ASSERT_NE(first->data, nullptr);
  int64_t rows = first->data->num_rows();

  // While the reader is mid-stream: overwrite with different data, then drop.
  auto writer = server->Connect();
  ASSERT_OK(writer.status());
  ASSERT_OK(Upload(**writer, {"live"}, *IntTable(1, 10)));
  ASSERT_OK(
      (*writer)
          ->DoAction(flight::Action{"drop_dataset", arrow::Buffer::FromString("live")})
          .status());

  int64_t expected_next = rows;
  bool ordered = true;
  while (true) {
    auto chunk = (*stream)->Next();
    ASSERT_OK(chunk.status());
    if (!chunk->data) break;
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk->data->column(0));
    for (int64_t i = 0; i < ints->length(); ++i)
      ordered &= ints->Value(i) == expected_next++;
    rows += chunk->data->num_rows();
  }
  EXPECT_EQ(rows, 64 * 16384);
  EXPECT_TRUE(ordered);
  // Later calls see the new state: gone.
  EXPECT_TRUE(client.GetFlightInfo(flight::FlightDescriptor::Path({"live"}))
                  .status()
                  .IsKeyError());
}

TEST_P(ConcurrencyTest, UploadCancelledHalfWayLeavesPreviousVersion) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  auto& client = server->client();
  ASSERT_OK(Upload(client, {"keep"}, *IntTable(1, 100)));

  {
    flight::FlightCallOptions options;
    options.timeout = flight::TimeoutDuration{1.0};
    auto put = client.DoPut(options, flight::FlightDescriptor::Path({"keep"}),
                            IntBatch(1)->schema());
    ASSERT_OK(put.status());
    // On a busy machine the deadline may pass during these writes already: the upload
    // is cut half-way either way.
    arrow::Status st;
    for (int i = 0; i < 5 && st.ok(); ++i) {
      st = put->writer->WriteRecordBatch(*IntBatch(1000, i));
    }
    // Sleeping is no ordering here: the deadline is a time, and this passes it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    if (st.ok()) st = put->writer->WriteRecordBatch(*IntBatch(1000));
    if (st.ok()) st = put->writer->Close();
    EXPECT_FALSE(st.ok());
  }
  // The server notices the cancellation asynchronously; wait for the clean-up (as
  // long as it takes on a busy machine: ctest's timeout bounds the test).
  while (CountUncommitted(*server) > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(CountUncommitted(*server), 0u);
  auto info = client.GetFlightInfo(flight::FlightDescriptor::Path({"keep"}));
  ASSERT_OK(info.status());
  EXPECT_EQ((*info)->total_records(), 100);
  auto table = Download(client, {"keep"});
  ASSERT_OK(table.status());
  EXPECT_TRUE((*table)->Equals(*IntTable(1, 100)));
}

TEST_P(ConcurrencyTest, ParallelUploadsOfOneNameOneWinsWhole) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      auto client = server->Connect();
      ASSERT_OK(client.status());
      auto put = (*client)->DoPut(flight::FlightDescriptor::Path({"race"}),
                                  IntBatch(1)->schema());
      ASSERT_OK(put.status());
      for (int b = 0; b < 16; ++b) {
        ASSERT_OK(put->writer->WriteRecordBatch(*IntBatch(4096, w * 1000000)));
      }
      ASSERT_OK(put->writer->Close());
    });
  }
  for (auto& t : threads) t.join();
  auto table = Download(server->client(), {"race"});
  ASSERT_OK(table.status());
  ASSERT_EQ((*table)->num_rows(), 16 * 4096);
  auto column = (*table)->column(0);
  int64_t writer_id =
      std::static_pointer_cast<arrow::Int64Array>(column->chunk(0))->Value(0) / 1000000;
  for (const auto& chunk : column->chunks()) {
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk);
    for (int64_t i = 0; i < ints->length(); ++i)
      ASSERT_EQ(ints->Value(i) / 1000000, writer_id);
  }
  EXPECT_EQ(CountUncommitted(*server), 0u);
}

}  // namespace
}  // namespace quiver::testing

namespace quiver::testing {
namespace {

TEST_P(ConcurrencyTest, AbandonedDoGetsDoNotWedgeTheServer) {
  QUIVER_START_SERVER_OR_SKIP(server, GetParam());
  ASSERT_OK(Upload(server->client(), {"big"}, *IntTable(64, 16384)));
  for (int round = 0; round < 8; ++round) {
    auto client = server->Connect();
    ASSERT_OK(client.status());
    auto stream = (*client)->DoGet(arrow::flight::Ticket{"big"});
    ASSERT_OK(stream.status());
    auto first = (*stream)->Next();
    ASSERT_OK(first.status());
    ASSERT_NE(first->data, nullptr);
    (*stream)->Cancel();
    stream->reset();
    ASSERT_OK((*client)->Close());
  }
  // The server still serves, and can drop what abandoned readers had open.
  auto table = Download(server->client(), {"big"});
  ASSERT_OK(table.status());
  EXPECT_EQ((*table)->num_rows(), 64 * 16384);
  ASSERT_OK(server->store().Drop(*store::DatasetName::Parse("big")));
}

}  // namespace
}  // namespace quiver::testing
