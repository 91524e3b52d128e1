// The versioned store: append, versions, time travel, restore, compaction, retention
// and the reader pins that keep GC away from versions being read.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"

#include "testing/data.h"
#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;
using testing::IntBatch;

DatasetName Name(const char* text) { return *DatasetName::Parse(text); }

std::vector<int64_t> Values(const std::shared_ptr<arrow::Table>& table) {
  std::vector<int64_t> out;
  for (const auto& chunk : table->column(0)->chunks()) {
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk);
    for (int64_t i = 0; i < ints->length(); ++i) out.push_back(ints->Value(i));
  }
  return out;
}

std::vector<int64_t> Range(int64_t start, int64_t count) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(start + i);
  return out;
}

class VersionedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto options = testing::TestStoreOptions(dir_.path());
    options.maintenance.compact_min_parts = 0;
    options.retention = retention_;
    store_.reset();
    auto store = DatasetStore::Make(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = *store;
  }

  arrow::Result<DatasetInfo> Put(const char* name, int64_t rows, int64_t start = 0,
                                 UploadMode mode = UploadMode::kOverwrite) {
    auto batch = IntBatch(rows, start);
    ARROW_ASSIGN_OR_RAISE(auto upload,
                          store_->BeginUpload(Name(name), batch->schema(), mode));
    ARROW_RETURN_NOT_OK(upload->Write(batch));
    return upload->Commit();
  }
  arrow::Result<DatasetInfo> Append(const char* name, int64_t rows, int64_t start) {
    return Put(name, rows, start, UploadMode::kAppend);
  }

  std::vector<int64_t> ReadAll(const char* name) {
    auto reader = store_->OpenReader(Name(name));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return {};
    return Values((*reader)->ToTable().ValueOrDie());
  }
  std::vector<int64_t> ReadVersion(const char* name, int64_t version) {
    auto info = store_->GetVersion(Name(name), version);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    if (!info.ok()) return {};
    return Values((*store_->OpenReader(*info))->ToTable().ValueOrDie());
  }

  testing::TempDir dir_;
  RetentionOptions retention_ = RetentionOptions::Defaults();
  std::shared_ptr<DatasetStore> store_;
};

TEST_F(VersionedStoreTest, AppendReadsOldThenNewRowsInOrder) {
  ASSERT_TRUE(Put("d", 100, 0).ok());
  auto v2 = Append("d", 50, 100);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->num_rows, 150);
  EXPECT_EQ(v2->manifest->parts.size(), 2u);
  EXPECT_EQ(v2->manifest->operation, VersionOperation::kAppend);
  EXPECT_EQ(ReadAll("d"), Range(0, 150));
  // Version 1 is still there, whole.
  EXPECT_EQ(ReadVersion("d", 1), Range(0, 100));
}

TEST_F(VersionedStoreTest, AppendToMissingCreatesAndSchemaMustMatch) {
  ASSERT_TRUE(Append("new", 3, 0).ok());
  EXPECT_EQ(store_->Get(Name("new"))->version, 1);
  auto other = arrow::schema({arrow::field("x", arrow::utf8())});
  auto upload = store_->BeginUpload(Name("new"), other, UploadMode::kAppend);
  ASSERT_TRUE(upload.status().IsInvalid());
  EXPECT_NE(upload.status().message().find("field 'x' has type string"),
            std::string::npos)
      << upload.status().message();
  auto extra = arrow::schema(
      {arrow::field("x", arrow::int64()), arrow::field("y", arrow::int64())});
  upload = store_->BeginUpload(Name("new"), extra, UploadMode::kAppend);
  EXPECT_NE(upload.status().message().find("field 'y' is not in the dataset"),
            std::string::npos);
}

TEST_F(VersionedStoreTest, ConcurrentAppendsAllLand) {
  ASSERT_TRUE(Put("log", 0).ok());
  constexpr int kWriters = 8, kAppends = 10, kRows = 100;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int a = 0; a < kAppends; ++a) {
        if (!Append("log", kRows, (w * kAppends + a) * kRows).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto values = ReadAll("log");
  ASSERT_EQ(values.size(), size_t{kWriters * kAppends * kRows});
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, Range(0, kWriters * kAppends * kRows));
  EXPECT_EQ(store_->Get(Name("log"))->version, 1 + kWriters * kAppends);
}

TEST_F(VersionedStoreTest, OverwritesDuringAppendsKeepEveryVersionConsistent) {
  ASSERT_TRUE(Put("mix", 10, 0).ok());
  std::atomic<bool> stop{false};
  std::vector<std::thread> appenders;
  for (int w = 0; w < 3; ++w) {
    appenders.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) ASSERT_TRUE(Append("mix", 10, 1000000 * (w + 1) + i * 10).ok());
    });
  }
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Put("mix", 5, -1000 * (i + 1)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& t : appenders) t.join();
  // Every append version is the version before it plus 10 rows; every overwrite version
  // is exactly its 5 rows: no version mixes two states.
  auto versions = store_->ListVersions(Name("mix"));
  ASSERT_TRUE(versions.ok());
  std::vector<int64_t> previous;
  int overwrites = 0;
  for (const auto& info : *versions) {
    auto rows = Values((*store_->OpenReader(info))->ToTable().ValueOrDie());
    if (info.manifest->operation == VersionOperation::kAppend) {
      ASSERT_EQ(rows.size(), previous.size() + 10) << "version " << info.version;
      ASSERT_TRUE(std::equal(previous.begin(), previous.end(), rows.begin()));
    } else if (info.version > 1) {
      ASSERT_EQ(rows.size(), 5u);
      ++overwrites;
    }
    previous = rows;
  }
  EXPECT_EQ(overwrites, 10);
}

TEST_F(VersionedStoreTest, TwoStoresOnOneRootRaceForEachVersion) {
  // Two processes' worth of state: each commit must win its version exclusively.
  auto options = MakeLocalStoreOptions(dir_.path());
  options->maintenance.background = false;
  auto second = DatasetStore::Make(*options);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(Put("shared", 0).ok());
  std::thread other([&] {
    for (int i = 0; i < 20; ++i) {
      auto batch = IntBatch(10, 1000 + i * 10);
      auto upload =
          (*second)->BeginUpload(Name("shared"), batch->schema(), UploadMode::kAppend);
      ASSERT_TRUE(upload.ok());
      ASSERT_TRUE((*upload)->Write(batch).ok());
      ASSERT_TRUE((*upload)->Commit().ok());
    }
  });
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Append("shared", 10, i * 10).ok());
  other.join();
  Open();  // a fresh catalog reads what both wrote
  auto values = ReadAll("shared");
  EXPECT_EQ(values.size(), 400u);
  EXPECT_EQ(store_->Get(Name("shared"))->version, 41);
}

TEST_F(VersionedStoreTest, TimeTravelByVersionAndTime) {
  ASSERT_TRUE(Put("t", 10, 0).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto v2 = Put("t", 20, 100);
  ASSERT_TRUE(v2.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(Put("t", 5, 500).ok());
  EXPECT_EQ(ReadVersion("t", 1), Range(0, 10));
  EXPECT_EQ(ReadVersion("t", 2), Range(100, 20));
  EXPECT_EQ(ReadAll("t"), Range(500, 5));
  auto as_of = store_->GetAsOf(Name("t"), v2->committed_at_us);
  ASSERT_TRUE(as_of.ok());
  EXPECT_EQ(as_of->version, 2);
  EXPECT_EQ(store_->GetAsOf(Name("t"), v2->committed_at_us - 1)->version, 1);
  EXPECT_TRUE(store_->GetAsOf(Name("t"), 0).status().IsKeyError());
  EXPECT_TRUE(store_->GetVersion(Name("t"), 9).status().IsKeyError());
  auto versions = store_->ListVersions(Name("t"));
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[1].num_rows, 20);
}

TEST_F(VersionedStoreTest, DropHidesAndRestoreBringsBack) {
  ASSERT_TRUE(Put("r", 7, 0).ok());
  ASSERT_TRUE(Put("r", 3, 50).ok());
  ASSERT_TRUE(store_->Drop(Name("r")).ok());
  EXPECT_TRUE(store_->Get(Name("r")).status().IsKeyError());
  EXPECT_TRUE(store_->List().empty());
  EXPECT_TRUE(store_->Drop(Name("r")).IsKeyError());
  EXPECT_TRUE(store_->GetVersion(Name("r"), 3).status().IsKeyError());  // the drop
  auto restored = store_->Restore(Name("r"), 1);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->version, 4);
  EXPECT_EQ(*restored->manifest->restored_from, 1);
  EXPECT_EQ(ReadAll("r"), Range(0, 7));
  EXPECT_EQ(store_->List().size(), 1u);
  // A new append after the restore builds on it.
  ASSERT_TRUE(Append("r", 2, 7).ok());
  EXPECT_EQ(ReadAll("r"), Range(0, 9));
}

TEST_F(VersionedStoreTest, CompactKeepsEveryRowInOrderInFewerParts) {
  ASSERT_TRUE(Put("c", 100, 0).ok());
  for (int i = 1; i < 30; ++i) ASSERT_TRUE(Append("c", 100, i * 100).ok());
  EXPECT_EQ(store_->Get(Name("c"))->manifest->parts.size(), 30u);
  auto compacted = store_->Compact(Name("c"));
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  EXPECT_EQ(compacted->manifest->operation, VersionOperation::kCompact);
  EXPECT_EQ(compacted->manifest->parts.size(), 1u);
  EXPECT_EQ(compacted->num_rows, 3000);
  EXPECT_EQ(ReadAll("c"), Range(0, 3000));
  // Nothing left to do: the same version comes back.
  EXPECT_EQ(store_->Compact(Name("c"))->version, compacted->version);
}

TEST_F(VersionedStoreTest, ReaderKeepsItsVersionThroughOverwriteDropAndGc) {
  retention_ = testing::NoRetention();
  Open();
  ASSERT_TRUE(Put("g", 300000, 0).ok());
  auto reader = store_->OpenReader(Name("g"));
  ASSERT_TRUE(reader.ok());
  std::shared_ptr<arrow::RecordBatch> first;
  ASSERT_TRUE((*reader)->ReadNext(&first).ok());
  ASSERT_TRUE(Put("g", 5, 7).ok());
  ASSERT_TRUE(store_->Drop(Name("g")).ok());
  auto report = store_->CollectGarbage();
  // Version 1 is pinned by the reader; version 2 goes.
  EXPECT_EQ(report.versions_deleted, 1);
  auto rest = (*reader)->ToTable();
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(first->num_rows() + (*rest)->num_rows(), 300000);
  reader->reset();
  report = store_->CollectGarbage();
  EXPECT_EQ(report.datasets_removed, 1);
  EXPECT_FALSE(fs::exists(dir_.path() + "/g"));
  // The name is free again.
  ASSERT_TRUE(Put("g", 1, 0).ok());
  EXPECT_EQ(ReadAll("g"), Range(0, 1));
}

TEST_F(VersionedStoreTest, RetentionKeepsByCountAndTime) {
  retention_.keep_versions = 2;
  retention_.keep_for = std::chrono::seconds(0);
  retention_.grace = std::chrono::seconds(0);
  Open();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Put("k", 10, i * 10).ok());
  auto report = store_->CollectGarbage();
  EXPECT_EQ(report.versions_deleted, 3);
  EXPECT_EQ(report.parts_deleted, 3);
  auto versions = store_->ListVersions(Name("k"));
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ(versions->front().version, 4);
  EXPECT_TRUE(store_->GetVersion(Name("k"), 1).status().IsKeyError());
  EXPECT_EQ(ReadVersion("k", 4), Range(30, 10));
  // With time retention, nothing goes.
  retention_.keep_for = std::chrono::hours(1);
  Open();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Put("k", 10, i).ok());
  EXPECT_EQ(store_->CollectGarbage().versions_deleted, 0);
}

TEST_F(VersionedStoreTest, AppendsShareParts_GcDeletesOnlyUnreferencedOnes) {
  retention_ = testing::NoRetention();
  Open();
  ASSERT_TRUE(Put("a", 10, 0).ok());
  for (int i = 1; i < 4; ++i) ASSERT_TRUE(Append("a", 10, i * 10).ok());
  auto report = store_->CollectGarbage();
  EXPECT_EQ(report.versions_deleted, 3);
  EXPECT_EQ(report.parts_deleted, 0);  // the current version references every part
  EXPECT_EQ(ReadAll("a"), Range(0, 40));
}

TEST_F(VersionedStoreTest, ReopenFindsTheSameVersionsAndCleansOrphans) {
  ASSERT_TRUE(Put("p", 10, 0).ok());
  ASSERT_TRUE(Append("p", 10, 10).ok());
  // An upload that a crash interrupted: its part, never committed.
  auto batch = IntBatch(5);
  auto upload = store_->BeginUpload(Name("p"), batch->schema());
  ASSERT_TRUE((*upload)->Write(batch).ok());
  std::string parts = dir_.path() + "/p/.parts";
  fs::copy_file(fs::directory_iterator(parts)->path(), parts + "/orphan.parquet");
  std::ofstream(dir_.path() + "/p/.manifests/.tmp-1") << "{half";
  upload->reset();
  Open();
  EXPECT_FALSE(fs::exists(parts + "/orphan.parquet"));
  EXPECT_FALSE(fs::exists(dir_.path() + "/p/.manifests/.tmp-1"));
  EXPECT_EQ(store_->Get(Name("p"))->version, 2);
  EXPECT_EQ(ReadAll("p"), Range(0, 20));
}

TEST_F(VersionedStoreTest, AutomaticCompactionRunsInTheBackground) {
  auto options = MakeLocalStoreOptions(dir_.path());
  options->maintenance.compact_min_parts = 4;
  store_ = *DatasetStore::Make(*options);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Append("auto", 100, i * 100).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (store_->Get(Name("auto"))->manifest->parts.size() > 4 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LE(store_->Get(Name("auto"))->manifest->parts.size(), 4u);
  EXPECT_GE(store_->counters().compactions.load(), 1);
  EXPECT_EQ(ReadAll("auto"), Range(0, 1000));
}

}  // namespace
}  // namespace quiver::store
