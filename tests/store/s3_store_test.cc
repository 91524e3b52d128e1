// The store on a real S3-compatible server, as several quiverd nodes share it: each
// DatasetStore here is one node on the same root.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>
#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/store_root.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/s3_test_server.h"
#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

DatasetName Name(const std::string& text) {
  return DatasetName::Parse(text).ValueOrDie();
}

arrow::Result<StoreOptions> NodeOptions(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto options, MakeStoreOptionsForRoot(uri));
  options.maintenance.background = false;  // GC and refresh when the test says
  return options;
}

arrow::Status Put(DatasetStore& store, const std::string& name, int64_t rows,
                  UploadMode mode = UploadMode::kOverwrite, int64_t start = 0) {
  auto batch = testing::IntBatch(rows, start);
  ARROW_ASSIGN_OR_RAISE(auto upload,
                        store.BeginUpload(Name(name), batch->schema(), mode));
  ARROW_RETURN_NOT_OK(upload->Write(batch));
  return upload->Commit().status();
}

arrow::Result<int64_t> CountRows(DatasetStore& store, const std::string& name) {
  ARROW_ASSIGN_OR_RAISE(auto reader, store.OpenReader(Name(name)));
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (!batch) return rows;
    rows += batch->num_rows();
  }
}

class CountingListener : public ObjectStoreListener {
 public:
  void OnRequest(const ObjectStoreRequest& request) override {
    std::lock_guard lock(mutex_);
    auto& entry = by_operation_[std::string(request.operation)];
    ++entry.first;
    entry.second += request.bytes;
    if (request.error) ++errors_;
  }
  std::pair<int64_t, int64_t> Get(const std::string& operation) {
    std::lock_guard lock(mutex_);
    return by_operation_[operation];
  }
  int64_t errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::pair<int64_t, int64_t>> by_operation_;
  int64_t errors_ = 0;
};

class S3StoreTest : public ::testing::Test {
 protected:
  void StartNodes(std::unique_ptr<testing::S3TestServer>& server,
                  const std::string& prefix = "nodes") {
    server->SetCredentialsEnv();
    uri_ = server->Uri(prefix);
    auto a = NodeOptions(uri_);
    ASSERT_OK(a.status());
    ASSERT_OK(CheckStoreRoot(*a));
    ASSERT_OK_AND_ASSIGN(a_, DatasetStore::Make(*a));
    ASSERT_OK_AND_ASSIGN(auto b, NodeOptions(uri_));
    ASSERT_OK_AND_ASSIGN(b_, DatasetStore::Make(b));
  }

  std::string uri_;
  std::shared_ptr<DatasetStore> a_, b_;
};

// Written through node A: node B reads it at once by name (a catalog miss reads the
// head from storage), sees overwrites and drops, and lists it after a refresh.
TEST_F(S3StoreTest, ReadAfterWriteAcrossNodes) {
  QUIVER_START_S3_OR_SKIP(server);
  StartNodes(server);
  ASSERT_OK(Put(*a_, "sales/2024", 1000));
  EXPECT_TRUE(b_->List().empty());  // not refreshed yet
  ASSERT_OK_AND_ASSIGN(auto info, b_->Get(Name("sales/2024")));
  EXPECT_EQ(info.version, 1);
  EXPECT_EQ(info.num_rows, 1000);
  ASSERT_OK_AND_ASSIGN(auto rows, CountRows(*b_, "sales/2024"));
  EXPECT_EQ(rows, 1000);

  ASSERT_OK(Put(*a_, "sales/2024", 70));  // overwrite: B holds version 1
  ASSERT_OK_AND_ASSIGN(info, b_->Get(Name("sales/2024")));
  EXPECT_EQ(info.version, 2);
  ASSERT_OK_AND_ASSIGN(rows, CountRows(*b_, "sales/2024"));
  EXPECT_EQ(rows, 70);
  // The version a ticket pinned is read from storage on any node.
  ASSERT_OK_AND_ASSIGN(auto old, b_->GetVersion(Name("sales/2024"), 1));
  EXPECT_EQ(old.num_rows, 1000);

  ASSERT_OK(Put(*a_, "other", 5));
  ASSERT_OK(b_->RefreshCatalog());
  auto listed = b_->List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name.ToString(), "other");
  EXPECT_EQ(listed[1].name.ToString(), "sales/2024");

  ASSERT_OK(a_->Drop(Name("other")));
  EXPECT_TRUE(b_->Get(Name("other")).status().IsKeyError());
  ASSERT_OK(b_->RefreshCatalog());
  EXPECT_EQ(b_->List().size(), 1u);
  EXPECT_TRUE(b_->Get(Name("never")).status().IsKeyError());
  // B can drop what A wrote (its catalog is checked against storage first).
  ASSERT_OK(b_->Drop(Name("sales/2024")));
  EXPECT_TRUE(a_->Get(Name("sales/2024")).status().IsKeyError());
}

// Appends through two nodes at once: every one lands (the conditional PUT makes one
// writer win each version; the loser rebuilds on the winner's manifest).
TEST_F(S3StoreTest, ConcurrentAppendsThroughTwoNodesAllLand) {
  QUIVER_START_S3_OR_SKIP(server);
  StartNodes(server);
  ASSERT_OK(Put(*a_, "log", 10));
  constexpr int kAppendsPerNode = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto* node : {a_.get(), b_.get()}) {
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([node, &failures] {
        for (int i = 0; i < kAppendsPerNode / 2; ++i) {
          if (!Put(*node, "log", 3, UploadMode::kAppend).ok()) ++failures;
        }
      });
    }
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(auto info, b_->Get(Name("log")));
  EXPECT_EQ(info.version, 1 + 2 * kAppendsPerNode);
  EXPECT_EQ(info.num_rows, 10 + 3 * 2 * kAppendsPerNode);
  ASSERT_OK_AND_ASSIGN(auto rows, CountRows(*a_, "log"));
  EXPECT_EQ(rows, 10 + 3 * 2 * kAppendsPerNode);
}

// Retention and orphan clean-up delete objects one by one on S3.
TEST_F(S3StoreTest, GarbageCollectionAndOrphansOnS3) {
  QUIVER_START_S3_OR_SKIP(server);
  server->SetCredentialsEnv();
  ASSERT_OK_AND_ASSIGN(auto options, NodeOptions(server->Uri("gc")));
  options.retention = testing::NoRetention();
  options.maintenance.gc_deletes_per_second = 0;
  options.maintenance.orphan_min_age = std::chrono::seconds(0);
  ASSERT_OK_AND_ASSIGN(auto store, DatasetStore::Make(options));
  ASSERT_OK(Put(*store, "ds", 100));
  ASSERT_OK(Put(*store, "ds", 200));
  ASSERT_OK(Put(*store, "ds", 300));
  // An interrupted upload's part, written by "another node".
  auto& fs = *options.filesystem;
  const std::string orphan = options.root + "/ds/.parts/deadbeef-0.parquet";
  {
    ASSERT_OK_AND_ASSIGN(auto out, fs.OpenOutputStream(orphan));
    ASSERT_OK(out->Write("not committed", 13));
    ASSERT_OK(out->Close());
  }
  auto report = store->CollectGarbage();
  EXPECT_EQ(report.errors, 0);
  EXPECT_EQ(report.versions_deleted, 2);
  EXPECT_EQ(report.parts_deleted, 3);  // two old versions' parts and the orphan
  ASSERT_OK_AND_ASSIGN(auto gone, fs.GetFileInfo(orphan));
  EXPECT_EQ(gone.type(), arrow::fs::FileType::NotFound);
  arrow::fs::FileSelector parts;
  parts.base_dir = options.root + "/ds/.parts";
  ASSERT_OK_AND_ASSIGN(auto left, fs.GetFileInfo(parts));
  EXPECT_EQ(left.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto rows, CountRows(*store, "ds"));
  EXPECT_EQ(rows, 300);

  // A dropped dataset goes entirely.
  ASSERT_OK(store->Drop(Name("ds")));
  report = store->CollectGarbage();
  EXPECT_EQ(report.errors, 0);
  EXPECT_EQ(report.datasets_removed, 1);
  arrow::fs::FileSelector all;
  all.base_dir = options.root;
  all.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto everything, fs.GetFileInfo(all));
  for (const auto& entry : everything) EXPECT_FALSE(entry.IsFile()) << entry.path();
}

// Every request to the store is reported: metrics and spans hang on this.
TEST_F(S3StoreTest, RequestsAreMetered) {
  QUIVER_START_S3_OR_SKIP(server);
  StartNodes(server, "metered");
  auto listener = std::make_shared<CountingListener>();
  ASSERT_TRUE(a_->SetObjectStoreListener(listener));
  ASSERT_OK(Put(*a_, "m", 50000));
  ASSERT_OK_AND_ASSIGN(auto rows, CountRows(*a_, "m"));
  EXPECT_EQ(rows, 50000);
  ASSERT_OK_AND_ASSIGN(auto info, a_->Get(Name("m")));
  EXPECT_EQ(listener->Get("create_exclusive").first, 1);
  EXPECT_EQ(listener->Get("open_write").first, 1);
  EXPECT_EQ(listener->Get("close_write").first, 1);
  EXPECT_EQ(listener->Get("write").second, info.stored_bytes);
  EXPECT_GE(listener->Get("read").first, 1);
  EXPECT_GE(listener->Get("read").second, info.stored_bytes / 2);
  EXPECT_GE(listener->Get("stat").first, 1);  // the look-up's HEAD for version 2
  EXPECT_EQ(listener->errors(), 0);
  // A local root is not metered.
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto local,
                       DatasetStore::Make(testing::TestStoreOptions(dir.path())));
  EXPECT_FALSE(local->SetObjectStoreListener(listener));
}

// An upload given up (client gone, bad batch, cancelled) aborts its multipart upload:
// nothing is completed, so no object ever appears, and nothing needs deleting.
TEST_F(S3StoreTest, AnAbandonedUploadCompletesNoObject) {
  QUIVER_START_S3_OR_SKIP(server);
  StartNodes(server, "abandoned");
  ASSERT_OK(Put(*a_, "kept", 10));
  auto listener = std::make_shared<CountingListener>();
  ASSERT_TRUE(a_->SetObjectStoreListener(listener));
  auto batch = testing::IntBatch(100000);
  ASSERT_OK_AND_ASSIGN(
      auto upload, a_->BeginUpload(Name("kept"), batch->schema(), UploadMode::kAppend));
  for (int i = 0; i < 4; ++i) ASSERT_OK(upload->Write(batch));
  upload.reset();  // abandoned
  EXPECT_EQ(listener->Get("close_write").first, 0);
  EXPECT_EQ(listener->Get("delete").first, 0);
  EXPECT_EQ(listener->errors(), 0);
  ASSERT_OK_AND_ASSIGN(auto fs, server->FileSystem());
  arrow::fs::FileSelector parts;
  parts.base_dir = server->bucket() + "/abandoned/kept/.parts";
  ASSERT_OK_AND_ASSIGN(auto infos, fs->GetFileInfo(parts));
  EXPECT_EQ(infos.size(), 1u);  // the committed version's part only
  ASSERT_OK_AND_ASSIGN(auto rows, CountRows(*a_, "kept"));
  EXPECT_EQ(rows, 10);
}

// A malformed S3 URI is refused before any request, without echoing its secrets.
TEST(S3StoreRootTest, BadUriIsInvalidWithoutSecrets) {
  auto st = MakeStoreOptionsForRoot("s3://AK:TopSecret@bucket/p?bogus=1").status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_EQ(st.message().find("TopSecret"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("s3://***@bucket/p"), std::string::npos) << st.ToString();
  st = MakeStoreOptionsForRoot("s3://").status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
}

// Start-up checks: one clear message for each way the root can be unusable.
TEST_F(S3StoreTest, BadRootsFailTheStartUpCheck) {
  QUIVER_START_S3_OR_SKIP(server);
  server->SetCredentialsEnv();
  ASSERT_OK_AND_ASSIGN(auto good, MakeStoreOptionsForRoot(server->Uri("ok")));
  ASSERT_OK(CheckStoreRoot(good));

  const std::string query = "?endpoint_override=" + server->endpoint() +
                            "&scheme=http&region=" + server->region();
  ASSERT_OK_AND_ASSIGN(auto missing,
                       MakeStoreOptionsForRoot("s3://no-such-bucket/p" + query));
  auto st = CheckStoreRoot(missing);
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("bucket 'no-such-bucket' does not exist"),
            std::string::npos)
      << st.ToString();

  ASSERT_OK_AND_ASSIGN(auto wrong, MakeStoreOptionsForRoot(
                                       "s3://" + server->access_key() + ":wrongsecret@" +
                                       server->bucket() + "/p" + query));
  st = CheckStoreRoot(wrong);
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("refused the credentials"), std::string::npos)
      << st.ToString();
  EXPECT_EQ(st.message().find("wrongsecret"), std::string::npos) << st.ToString();

  ASSERT_OK_AND_ASSIGN(auto unreachable,
                       MakeStoreOptionsForRoot("s3://" + server->bucket() +
                                               "/p?endpoint_override=127.0.0.1:1&scheme="
                                               "http&region=us-east-1"));
  st = CheckStoreRoot(unreachable);
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("cannot reach"), std::string::npos) << st.ToString();
  EXPECT_EQ(st.message().find('\n'), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace quiver::store
