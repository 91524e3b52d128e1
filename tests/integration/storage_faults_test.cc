// A real server on a store whose disk misbehaves (injected faults): what a Flight
// client sees, and that the server goes on serving other calls meanwhile.
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/buffer.h>
#include <arrow/flight/client.h>
#include <arrow/flight/types.h>
#include <arrow/table.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/fault_injecting_filesystem.h"
#include "testing/temp_dir.h"
#include "testing/test_server.h"

namespace quiver::testing {
namespace {

namespace flight = arrow::flight;
using flight::FlightStatusCode;
using flight::FlightStatusDetail;

class StorageFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto local = store::MakeLocalStoreOptions(dir_.path()).ValueOrDie();
    fs_ = std::make_shared<FaultInjectingFileSystem>(local.filesystem, /*seed=*/3);
    local.filesystem = fs_;
    local.write.row_group_target_bytes = 64 << 10;
    local.read.batch_size = 4096;
    ASSERT_OK_AND_ASSIGN(store_, store::DatasetStore::Make(local));
    server::ServeOptions serve;
    ASSERT_OK_AND_ASSIGN(serve.listen, flight::Location::ForGrpcTcp("127.0.0.1", 0));
    ASSERT_OK_AND_ASSIGN(service_, server::StartService(store_, std::move(serve)));
    ASSERT_OK_AND_ASSIGN(location_,
                         flight::Location::ForGrpcTcp("127.0.0.1", service_->port()));
    ASSERT_OK_AND_ASSIGN(client_, flight::FlightClient::Connect(location_));
    ASSERT_OK(Upload(*client_, {"kept"}, *IntTable(4, 10000)));
  }
  void TearDown() override {
    if (client_) (void)client_->Close();
    if (service_) (void)service_->Shutdown();
  }

  void ExpectPathFree(const arrow::Status& status) {
    EXPECT_EQ(status.ToString().find(dir_.path()), std::string::npos)
        << status.ToString();
  }

  /// The other client's view: the committed dataset is listed and reads whole.
  void ExpectKeptServed() {
    ASSERT_OK_AND_ASSIGN(auto other, flight::FlightClient::Connect(location_));
    ASSERT_OK_AND_ASSIGN(auto listing, other->ListFlights());
    ASSERT_OK_AND_ASSIGN(auto info, listing->Next());
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->descriptor().path, std::vector<std::string>{"kept"});
    ASSERT_OK_AND_ASSIGN(auto table, Download(*other, {"kept"}));
    EXPECT_TRUE(table->Equals(*IntTable(4, 10000)));
  }

  TempDir dir_;
  std::shared_ptr<FaultInjectingFileSystem> fs_;
  std::shared_ptr<store::DatasetStore> store_;
  std::unique_ptr<server::QuiverService> service_;
  flight::Location location_;
  std::unique_ptr<flight::FlightClient> client_;
};

TEST_F(StorageFaultsTest, FullDiskFailsTheUploadCleanlyAndKeepsServing) {
  // Full from the first write on (the Parquet magic, written when the upload begins).
  fs_->AddRule({.op = FsOp::kWrite, .fault = Fault::kNoSpace, .nth = 1, .times = -1});
  auto status = Upload(*client_, {"kept"}, *IntTable(8, 10000));
  ASSERT_FALSE(status.ok());
  auto detail = FlightStatusDetail::UnwrapStatus(status);
  ASSERT_NE(detail, nullptr) << status.ToString();
  EXPECT_EQ(detail->code(), FlightStatusCode::Unavailable) << status.ToString();
  EXPECT_NE(status.message().find("storage full"), std::string::npos);
  EXPECT_NE(status.message().find("kept"), std::string::npos) << "names the dataset";
  ExpectPathFree(status);
  ExpectKeptServed();  // while the disk is still full

  fs_->ClearRules();  // space reclaimed: uploads work again
  ASSERT_OK(Upload(*client_, {"later"}, *IntTable(1, 10)));
  ASSERT_OK_AND_ASSIGN(auto later, Download(*client_, {"later"}));
  EXPECT_EQ(later->num_rows(), 10);
}

TEST_F(StorageFaultsTest, ReadErrorFailsTheDoGetAndKeepsServing) {
  // The footer is read when the stream opens; fail a data page read after it.
  fs_->AddRule({.op = FsOp::kRead, .fault = Fault::kIoError, .nth = 3, .times = -1});
  auto table = Download(*client_, {"kept"});
  fs_->ClearRules();
  ASSERT_FALSE(table.ok());
  auto detail = FlightStatusDetail::UnwrapStatus(table.status());
  EXPECT_TRUE(detail == nullptr || detail->code() != FlightStatusCode::Unauthenticated);
  ExpectPathFree(table.status());
  ExpectKeptServed();
}

/// The status of a call, whichever step of it failed.
arrow::Status Drained(arrow::Result<std::unique_ptr<flight::ResultStream>> result) {
  if (!result.ok()) return result.status();
  return (*result)->Drain();
}

arrow::Status Action(flight::FlightClient& client, const std::string& type,
                     const std::string& body) {
  return Drained(client.DoAction(flight::Action{type, arrow::Buffer::FromString(body)}));
}

// The error rule, per RPC: a disk that fails is the server's fault (INTERNAL, never
// UNKNOWN or INVALID_ARGUMENT), named without a path, whichever RPC met it; the calls
// that need no storage (the catalog answers them) go on working.
TEST_F(StorageFaultsTest, EveryRpcReportsAFailingDiskAsInternal) {
  ASSERT_OK_AND_ASSIGN(auto append,
                       client_->DoPut(flight::FlightDescriptor::Command(
                                          R"({"dataset": "kept", "mode": "append"})"),
                                      IntBatch(1)->schema()));
  ASSERT_OK(append.writer->WriteRecordBatch(*IntBatch(10)));
  ASSERT_OK(append.writer->Close());  // version 2, two parts: compaction has work
  for (FsOp op : {FsOp::kOpenRead, FsOp::kRead, FsOp::kOpenWrite, FsOp::kWrite,
                  FsOp::kList, FsOp::kStat, FsOp::kCreateExclusive, FsOp::kMove}) {
    fs_->AddRule({.op = op, .fault = Fault::kIoError, .times = -1});
  }
  struct Call {
    std::string rpc;
    std::function<arrow::Status()> run;
  };
  std::vector<Call> storage_calls = {
      {"DoGet", [&] { return Download(*client_, {"kept"}).status(); }},
      {"DoPut", [&] { return Upload(*client_, {"new"}, *IntTable(1, 10)); }},
      {"GetFlightInfo (older version)",
       [&] {
         return client_
             ->GetFlightInfo(flight::FlightDescriptor::Command(
                 R"({"dataset": "kept", "version": 1})"))
             .status();
       }},
      {"DoAction list_versions",
       [&] { return Action(*client_, "list_versions", "kept"); }},
      {"DoAction restore_version",
       [&] {
         return Action(*client_, "restore_version",
                       R"({"dataset": "kept", "version": 1})");
       }},
      {"DoAction compact", [&] { return Action(*client_, "compact", "kept"); }},
      {"DoAction drop_dataset", [&] { return Action(*client_, "drop_dataset", "kept"); }},
      {"DoAction health_check", [&] { return Action(*client_, "health_check", ""); }},
  };
  for (const auto& call : storage_calls) {
    SCOPED_TRACE(call.rpc);
    auto status = call.run();
    ASSERT_FALSE(status.ok());
    auto detail = FlightStatusDetail::UnwrapStatus(status);
    ASSERT_NE(detail, nullptr) << status.ToString();
    EXPECT_EQ(detail->code(), FlightStatusCode::Internal) << status.ToString();
    ExpectPathFree(status);
  }
  // Answered from the catalog: no storage involved, no error.
  ASSERT_OK(client_->GetFlightInfo(flight::FlightDescriptor::Path({"kept"})).status());
  ASSERT_OK(client_->GetSchema(flight::FlightDescriptor::Path({"kept"})).status());
  ASSERT_OK_AND_ASSIGN(auto listing, client_->ListFlights());
  ASSERT_OK_AND_ASSIGN(auto info, listing->Next());
  EXPECT_NE(info, nullptr);
  ASSERT_OK(client_->ListActions().status());
  fs_->ClearRules();
  ASSERT_OK_AND_ASSIGN(auto table, Download(*client_, {"kept"}));
  EXPECT_EQ(table->num_rows(), 40010) << "nothing was lost";
}

TEST_F(StorageFaultsTest, StalledDiskDoesNotBlockOtherCalls) {
  // The read is held until released: the listing below runs while it waits for
  // certain, however the threads are scheduled (a listing that waited for the read
  // would never return).
  fs_->AddRule({.op = FsOp::kRead, .fault = Fault::kHold, .times = -1});
  std::thread slow([&] {
    auto table = Download(*client_, {"kept"});
    EXPECT_TRUE(table.ok()) << table.status().ToString();
  });
  fs_->WaitForHeld(1);
  ASSERT_OK_AND_ASSIGN(auto other, flight::FlightClient::Connect(location_));
  auto listing = other->ListFlights();
  std::shared_ptr<flight::FlightInfo> info;
  if (listing.ok()) info = (*listing)->Next().ValueOr(nullptr);
  fs_->ReleaseHeld();
  slow.join();
  fs_->ClearRules();
  ASSERT_OK(listing.status());
  EXPECT_NE(info, nullptr);
  EXPECT_GT(fs_->faults(FsOp::kRead), 0);
}

}  // namespace
}  // namespace quiver::testing
