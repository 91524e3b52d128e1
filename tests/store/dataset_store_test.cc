#include "quiver/store/dataset_store.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/io/file.h>
#include <arrow/table.h>
#include <parquet/arrow/reader.h>
#include <parquet/metadata.h>

#include "testing/data.h"
#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;
using testing::IntBatch;

DatasetName Name(const char* text) { return *DatasetName::Parse(text); }

std::vector<std::string> FilesUnder(const std::string& root) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class DatasetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto options = testing::TestStoreOptions(dir_.path());
    if (no_retention_) options.retention = testing::NoRetention();
    auto store = DatasetStore::Make(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = *store;
  }

  arrow::Status Put(const char* name, int64_t rows, int64_t start = 0) {
    auto batch = IntBatch(rows, start);
    ARROW_ASSIGN_OR_RAISE(auto upload, store_->BeginUpload(Name(name), batch->schema()));
    ARROW_RETURN_NOT_OK(upload->Write(batch));
    return upload->Commit().status();
  }

  arrow::Result<std::shared_ptr<arrow::Table>> Read(const char* name) {
    ARROW_ASSIGN_OR_RAISE(auto reader, store_->OpenReader(Name(name)));
    return reader->ToTable();
  }

  /// The files of the dataset: its manifests and parts, relative to its directory.
  std::vector<std::string> DatasetFiles(const char* name) {
    return FilesUnder(dir_.path() + "/" + name);
  }

  testing::TempDir dir_;
  bool no_retention_ = false;
  std::shared_ptr<DatasetStore> store_;
};

bool IsManifest(const std::string& rel) {
  return rel.starts_with(".manifests/") && rel.ends_with(".json") && rel.size() == 36;
}
bool IsPart(const std::string& rel) {
  return rel.starts_with(".parts/") && rel.ends_with(".parquet");
}

TEST_F(DatasetStoreTest, CommitPublishesAndCatalogs) {
  ASSERT_TRUE(Put("sales/2024", 100).ok());
  auto info = store_->Get(Name("sales/2024"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->num_rows, 100);
  EXPECT_EQ(info->version, 1);
  ASSERT_EQ(info->manifest->parts.size(), 1u);
  EXPECT_EQ(info->stored_bytes,
            static_cast<int64_t>(fs::file_size(dir_.path() + "/sales/2024/.parts/" +
                                               info->manifest->parts[0].file)));
  auto files = DatasetFiles("sales/2024");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(IsManifest(files[0])) << files[0];
  EXPECT_TRUE(IsPart(files[1])) << files[1];
  auto table = Read("sales/2024");
  ASSERT_TRUE(table.ok());
  EXPECT_TRUE(
      (*table)->Equals(*arrow::Table::FromRecordBatches({IntBatch(100)}).ValueOrDie()));
}

TEST_F(DatasetStoreTest, UnknownDatasetIsKeyError) {
  EXPECT_TRUE(store_->Get(Name("nope")).status().IsKeyError());
  EXPECT_TRUE(store_->OpenReader(Name("nope")).status().IsKeyError());
  EXPECT_TRUE(store_->Drop(Name("nope")).IsKeyError());
}

TEST_F(DatasetStoreTest, UploadIsInvisibleUntilCommitAndAbortKeepsOldVersion) {
  ASSERT_TRUE(Put("d", 10).ok());
  auto batch = IntBatch(50, 1000);
  auto upload = store_->BeginUpload(Name("d"), batch->schema());
  ASSERT_TRUE(upload.ok());
  ASSERT_TRUE((*upload)->Write(batch).ok());
  EXPECT_EQ(store_->Get(Name("d"))->num_rows, 10);  // still the old version
  EXPECT_EQ(FilesUnder(dir_.path()).size(), 3u);    // manifest, part + new part
  upload->reset();                                  // abort by destruction
  EXPECT_EQ(FilesUnder(dir_.path()).size(), 2u);
  EXPECT_EQ((*Read("d"))->num_rows(), 10);
}

TEST_F(DatasetStoreTest, SchemaMismatchAbortsUpload) {
  auto upload =
      store_->BeginUpload(Name("d"), arrow::schema({arrow::field("y", arrow::utf8())}));
  ASSERT_TRUE(upload.ok());
  auto st = (*upload)->Write(IntBatch(3));
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_FALSE((*upload)->Commit().ok());
  for (const auto& file : FilesUnder(dir_.path())) ADD_FAILURE() << file;
  EXPECT_TRUE(store_->Get(Name("d")).status().IsKeyError());
}

TEST_F(DatasetStoreTest, OverwriteAndDropDoNotTearOpenReaders) {
  ASSERT_TRUE(Put("d", 200000, 0).ok());
  auto reader = store_->OpenReader(Name("d"));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(Put("d", 5, 7).ok());
  ASSERT_TRUE(store_->Drop(Name("d")).ok());
  auto table = (*reader)->ToTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->num_rows(), 200000);
  EXPECT_TRUE(store_->Get(Name("d")).status().IsKeyError());
}

TEST_F(DatasetStoreTest, HierarchyConflictsAreRefused) {
  ASSERT_TRUE(Put("a", 1).ok());
  EXPECT_TRUE(
      store_->BeginUpload(Name("a/b"), IntBatch(1)->schema()).status().IsAlreadyExists());
  ASSERT_TRUE(Put("x/y", 1).ok());
  EXPECT_TRUE(
      store_->BeginUpload(Name("x"), IntBatch(1)->schema()).status().IsAlreadyExists());
}

TEST_F(DatasetStoreTest, ReopenReloadsCatalogAndCleansLeftovers) {
  ASSERT_TRUE(Put("keep", 42).ok());
  ASSERT_TRUE(Put("nested/deep/set", 7).ok());
  std::ofstream(dir_.path() + "/nested/.quiver-tmp-deadbeef") << "half an upload";
  std::ofstream(dir_.path() + "/not-parquet.txt") << "hello";
  Open();
  EXPECT_EQ(store_->dataset_count(), 2u);
  EXPECT_EQ(store_->Get(Name("keep"))->num_rows, 42);
  EXPECT_EQ(store_->Get(Name("nested/deep/set"))->num_rows, 7);
  EXPECT_FALSE(fs::exists(dir_.path() + "/nested/.quiver-tmp-deadbeef"));
  EXPECT_TRUE(fs::exists(dir_.path() + "/not-parquet.txt"));  // skipped, never deleted
}

TEST_F(DatasetStoreTest, ConcurrentUploadsOfOneNameOneWinsWhole) {
  constexpr int kWriters = 4;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([this, w] {
      auto schema = IntBatch(1)->schema();
      auto upload = store_->BeginUpload(Name("race"), schema);
      ASSERT_TRUE(upload.ok());
      for (int b = 0; b < 20; ++b) {
        ASSERT_TRUE((*upload)->Write(IntBatch(1000, w * 1000000)).ok());
      }
      ASSERT_TRUE((*upload)->Commit().ok());
    });
  }
  for (auto& t : threads) t.join();
  auto table = Read("race");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ((*table)->num_rows(), 20000);
  // Every row comes from one writer.
  auto column = (*table)->column(0);
  auto first = std::static_pointer_cast<arrow::Int64Array>(column->chunk(0))->Value(0);
  for (const auto& chunk : column->chunks()) {
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk);
    for (int64_t i = 0; i < ints->length(); ++i) {
      ASSERT_EQ(ints->Value(i) / 1000000, first / 1000000);
    }
  }
  // Each overwrite is a version of its own; the last committed is current.
  EXPECT_EQ(store_->Get(Name("race"))->num_rows, 20000);
  EXPECT_EQ(store_->Get(Name("race"))->version, kWriters);
  EXPECT_EQ(DatasetFiles("race").size(), 2u * kWriters);
}

TEST_F(DatasetStoreTest, RowGroupsAreBoundedByBytes) {
  auto options = MakeLocalStoreOptions(dir_.path());
  options->write.row_group_target_bytes = 1 << 20;  // 1 MiB of Arrow data
  options->write.row_group_max_rows = 1 << 30;      // bytes alone bound them here
  options->maintenance.background = false;
  auto store = DatasetStore::Make(*options);
  ASSERT_TRUE(store.ok());
  auto upload = (*store)->BeginUpload(Name("rg"), IntBatch(1)->schema());
  ASSERT_TRUE(upload.ok());
  for (int b = 0; b < 40; ++b) ASSERT_TRUE((*upload)->Write(IntBatch(32768, b)).ok());
  auto info = (*upload)->Commit();
  ASSERT_TRUE(info.ok());
  // 40 x 256 KiB = 10 MiB of data -> about 10 row groups, not 40 and not 1.
  const auto& part = info->manifest->parts.at(0);
  auto file = arrow::io::ReadableFile::Open(dir_.path() + "/rg/.parts/" + part.file);
  ASSERT_TRUE(file.ok());
  auto parquet_reader = parquet::arrow::OpenFile(*file, arrow::default_memory_pool());
  ASSERT_TRUE(parquet_reader.ok());
  auto metadata = (*parquet_reader)->parquet_reader()->metadata();
  EXPECT_EQ(metadata->num_rows(), 40 * 32768);
  EXPECT_GE(metadata->num_row_groups(), 8);
  EXPECT_LE(metadata->num_row_groups(), 12);
  EXPECT_EQ(part.row_groups, metadata->num_row_groups());
  // The manifest summarises the statistics of every row group.
  ASSERT_FALSE(part.stats.empty());
  EXPECT_EQ(part.stats[0].column, "x");
  EXPECT_EQ(part.stats[0].min, "0") << (part.stats[0].max ? *part.stats[0].max : "no max")
                                    << " nulls " << part.stats[0].null_count;
}

}  // namespace
}  // namespace quiver::store

namespace quiver::store {
namespace {

TEST_F(DatasetStoreTest, DropRemovesEmptyFoldersSoTheNameCanBeReused) {
  no_retention_ = true;
  Open();
  ASSERT_TRUE(Put("sales/2024/q1", 3).ok());
  ASSERT_TRUE(Put("sales/2023", 3).ok());
  ASSERT_TRUE(store_->Drop(Name("sales/2024/q1")).ok());
  // Out of listings at once; the data goes with retention.
  EXPECT_TRUE(store_->Get(Name("sales/2024/q1")).status().IsKeyError());
  EXPECT_TRUE(fs::exists(dir_.path() + "/sales/2024"));
  store_->CollectGarbage();
  EXPECT_FALSE(fs::exists(dir_.path() + "/sales/2024"));
  EXPECT_TRUE(fs::exists(dir_.path() + "/sales/2023"));
  ASSERT_TRUE(store_->Drop(Name("sales/2023")).ok());
  auto report = store_->CollectGarbage();
  EXPECT_EQ(report.datasets_removed, 1);
  EXPECT_EQ(report.errors, 0);
  EXPECT_FALSE(fs::exists(dir_.path() + "/sales"));
  auto st = Put("sales", 5);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store_->Get(Name("sales"))->num_rows, 5);
}

TEST_F(DatasetStoreTest, AnEmptyFolderInTheWayIsReplacedOnCommit) {
  fs::create_directories(dir_.path() + "/leftover");
  auto st = Put("leftover", 2);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(fs::is_directory(dir_.path() + "/leftover/.manifests"));
  EXPECT_EQ(store_->Get(Name("leftover"))->num_rows, 2);
}

}  // namespace
}  // namespace quiver::store
