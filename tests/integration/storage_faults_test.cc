// A real server on a store whose disk misbehaves (injected faults): what a Flight
// client sees, and that the server goes on serving other calls meanwhile.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

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

TEST_F(StorageFaultsTest, StalledDiskDoesNotBlockOtherCalls) {
  fs_->AddRule({.op = FsOp::kRead,
                .fault = Fault::kStall,
                .times = -1,
                .stall = std::chrono::milliseconds(300)});
  std::thread slow([&] {
    auto table = Download(*client_, {"kept"});
    EXPECT_TRUE(table.ok()) << table.status().ToString();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_OK_AND_ASSIGN(auto other, flight::FlightClient::Connect(location_));
  auto start = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(auto listing, other->ListFlights());
  ASSERT_OK_AND_ASSIGN(auto info, listing->Next());
  EXPECT_NE(info, nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250))
      << "ListFlights waited for the stalled read";
  slow.join();
  fs_->ClearRules();
  EXPECT_GT(fs_->faults(FsOp::kRead), 0);
}

}  // namespace
}  // namespace quiver::testing
