// The decoded-part cache: filling, reading back, projection, eviction, restart, and
// entries that must never be served (truncated, of another schema, unsafe keys); then
// the store reading through it.
#include "quiver/store/cache/part_cache.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include <arrow/compute/expression.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;

/// Waits (the writer is asynchronous) until `done` holds; false after 20 s.
template <typename Predicate>
bool Eventually(Predicate done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

std::shared_ptr<arrow::RecordBatchReader> ReaderOf(
    const std::shared_ptr<arrow::Table>& t) {
  return std::make_shared<arrow::TableBatchReader>(*t);
}

/// Reads `table` through Fill(key) to its end and waits until the entry is written.
void FillWith(PartCache& cache, const std::string& key,
              const std::shared_ptr<arrow::Table>& table) {
  int64_t fills = cache.counters().fills + cache.counters().fill_errors;
  auto reader = cache.Fill(key, ReaderOf(table));
  ASSERT_OK_AND_ASSIGN(auto read, reader->ToTable());
  ASSERT_TRUE(read->Equals(*table));
  ASSERT_TRUE(Eventually(
      [&] { return cache.counters().fills + cache.counters().fill_errors > fills; }));
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().filename().string());
  }
  return files;
}

class PartCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<PartCache> Make(int64_t max_bytes = int64_t{1} << 30) {
    PartCacheOptions options;
    options.directory = dir_.path() + "/cache";
    options.max_bytes = max_bytes;
    auto cache = PartCache::Make(options);
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ValueOr(nullptr);
  }

  testing::TempDir dir_;
  std::shared_ptr<arrow::Table> table_ = testing::AllTypesTable(1000);
};

TEST_F(PartCacheTest, AFilledPartReadsBackEqualWithEveryType) {
  auto cache = Make();
  EXPECT_EQ(cache->Open("d/p1", *table_->schema(), {}, table_->num_rows()), nullptr);
  EXPECT_EQ(cache->counters().misses, 1);
  FillWith(*cache, "d/p1", table_);
  EXPECT_EQ(cache->counters().fills, 1);
  EXPECT_EQ(cache->entries(), 1);
  EXPECT_GT(cache->bytes(), 0);

  auto reader = cache->Open("d/p1", *table_->schema(), {}, table_->num_rows());
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(cache->counters().hits, 1);
  ASSERT_OK_AND_ASSIGN(auto read, reader->ToTable());
  EXPECT_TRUE(read->Equals(*table_)) << read->ToString();
}

TEST_F(PartCacheTest, OpenReturnsOnlyTheFieldsAsked) {
  auto cache = Make();
  FillWith(*cache, "d/p1", table_);
  auto reader = cache->Open("d/p1", *table_->schema(), {1, 3}, table_->num_rows());
  ASSERT_NE(reader, nullptr);
  ASSERT_OK_AND_ASSIGN(auto read, reader->ToTable());
  ASSERT_EQ(read->num_columns(), 2);
  EXPECT_TRUE(read->column(0)->Equals(*table_->column(1)));
  EXPECT_TRUE(read->column(1)->Equals(*table_->column(3)));
}

TEST_F(PartCacheTest, AReaderStoppedEarlyLeavesNoEntryAndNoFile) {
  auto cache = Make();
  auto table = testing::IntTable(4, 100);
  {
    auto reader = cache->Fill("d/p1", ReaderOf(table));
    std::shared_ptr<arrow::RecordBatch> batch;
    ASSERT_OK(reader->ReadNext(&batch));
    ASSERT_OK(reader->Close());
  }
  // The writer drops the fill; a later fill of the same part is accepted again.
  FillWith(*cache, "d/p2", table);
  EXPECT_EQ(cache->entries(), 1);
  EXPECT_EQ(FilesUnder(dir_.path() + "/cache"), std::vector<std::string>{"p2.arrow"});
  EXPECT_EQ(cache->Open("d/p1", *table->schema(), {}, 400), nullptr);
  FillWith(*cache, "d/p1", table);
  EXPECT_EQ(cache->entries(), 2);
}

TEST_F(PartCacheTest, TheLeastRecentlyReadLeaveFirstWhenFull) {
  auto table = testing::IntTable(1, 10000);  // 80 KB of data per entry
  auto cache = Make(200 * 1024);
  FillWith(*cache, "d/a", table);
  FillWith(*cache, "d/b", table);
  // Reading "a" makes "b" the least recently used.
  ASSERT_NE(cache->Open("d/a", *table->schema(), {}, 10000), nullptr);
  FillWith(*cache, "d/c", table);
  EXPECT_EQ(cache->counters().evictions, 1);
  EXPECT_EQ(cache->entries(), 2);
  EXPECT_LE(cache->bytes(), 200 * 1024);
  EXPECT_EQ(cache->Open("d/b", *table->schema(), {}, 10000), nullptr);
  EXPECT_NE(cache->Open("d/a", *table->schema(), {}, 10000), nullptr);
  EXPECT_NE(cache->Open("d/c", *table->schema(), {}, 10000), nullptr);
  EXPECT_FALSE(fs::exists(dir_.path() + "/cache/parts-v1/d/b.arrow"));
}

TEST_F(PartCacheTest, APartLargerThanTheCacheIsNotCachedAndReadsStillWork) {
  auto table = testing::IntTable(4, 10000);
  auto cache = Make(64 * 1024);
  FillWith(*cache, "d/big", table);
  EXPECT_EQ(cache->counters().fill_errors, 1);
  EXPECT_EQ(cache->entries(), 0);
  EXPECT_TRUE(FilesUnder(dir_.path() + "/cache").empty());
}

TEST_F(PartCacheTest, EntriesSurviveARestartAndInterruptedFillsAreRemoved) {
  {
    auto cache = Make();
    FillWith(*cache, "a/b/p1", table_);
  }
  std::ofstream(dir_.path() + "/cache/parts-v1/a/b/p2.arrow.tmp") << "half a fill";
  auto cache = Make();
  EXPECT_EQ(cache->entries(), 1);
  EXPECT_FALSE(fs::exists(dir_.path() + "/cache/parts-v1/a/b/p2.arrow.tmp"));
  auto reader = cache->Open("a/b/p1", *table_->schema(), {}, table_->num_rows());
  ASSERT_NE(reader, nullptr);
  ASSERT_OK_AND_ASSIGN(auto read, reader->ToTable());
  EXPECT_TRUE(read->Equals(*table_));
}

TEST_F(PartCacheTest, AnEntryOfAnotherSchemaIsAMissAndIsDropped) {
  auto cache = Make();
  FillWith(*cache, "d/p1", table_);
  auto other = testing::IntTable(1, 10);
  EXPECT_EQ(cache->Open("d/p1", *other->schema(), {}, 10), nullptr);
  EXPECT_EQ(cache->entries(), 0);
  EXPECT_FALSE(fs::exists(dir_.path() + "/cache/parts-v1/d/p1.arrow"));
}

TEST_F(PartCacheTest, AnEntryWithTooFewRowsFailsTheReadAndIsDropped) {
  auto cache = Make();
  auto table = testing::IntTable(3, 100);
  FillWith(*cache, "d/p1", table);
  // The manifest says the part has more rows than the entry: never serve it short.
  auto reader = cache->Open("d/p1", *table->schema(), {}, 301);
  ASSERT_NE(reader, nullptr);
  auto read = reader->ToTable();
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(read.status().IsIOError()) << read.status().ToString();
  EXPECT_EQ(cache->entries(), 0);
}

TEST_F(PartCacheTest, ATruncatedEntryIsNeverServedWhole) {
  auto cache = Make();
  auto table = testing::IntTable(4, 1000);
  FillWith(*cache, "d/p1", table);
  const std::string path = dir_.path() + "/cache/parts-v1/d/p1.arrow";
  fs::resize_file(path, fs::file_size(path) / 2);
  auto reader = cache->Open("d/p1", *table->schema(), {}, 4000);
  if (reader != nullptr) {
    auto read = reader->ToTable();
    EXPECT_FALSE(read.ok());
  }
  EXPECT_EQ(cache->entries(), 0);
}

TEST_F(PartCacheTest, UnsafeKeysAreNeverFilesOfTheCache) {
  auto cache = Make();
  auto table = testing::IntTable(1, 10);
  for (const char* key : {"../x", "/etc/x", "d/../../x", "", "d//x", "d/./x"}) {
    auto reader = ReaderOf(table);
    EXPECT_EQ(cache->Fill(key, reader), reader) << key;
    EXPECT_EQ(cache->Open(key, *table->schema(), {}, 10), nullptr) << key;
  }
  EXPECT_TRUE(FilesUnder(dir_.path() + "/cache").empty());
}

TEST_F(PartCacheTest, AFillThatCannotWriteIsCountedAndTheReadIsUnharmed) {
  auto cache = Make();
  // A file where the dataset's directory of entries would go.
  std::ofstream(dir_.path() + "/cache/parts-v1/d") << "in the way";
  auto table = testing::IntTable(2, 100);
  FillWith(*cache, "d/p1", table);
  EXPECT_EQ(cache->counters().fill_errors, 1);
  EXPECT_EQ(cache->entries(), 0);
}

// ---------------------------------------------------------------------------------------
// The store reading through the cache.

class StoreWithCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = testing::TestStoreOptions(dir_.path() + "/root");
    PartCacheOptions cache;
    cache.directory = dir_.path() + "/cache";
    options.part_cache = cache;
    ASSERT_OK_AND_ASSIGN(store_, DatasetStore::Make(options));
    for (int i = 0; i < 2; ++i) {
      ASSERT_OK_AND_ASSIGN(
          auto upload, store_->BeginUpload(name_, table_->schema(), UploadMode::kAppend));
      for (const auto& batch : *arrow::TableBatchReader(*table_).ToRecordBatches()) {
        ASSERT_OK(upload->Write(batch));
      }
      ASSERT_OK_AND_ASSIGN(info_, upload->Commit());
    }
  }

  std::shared_ptr<arrow::Table> ReadAll() {
    auto reader = store_->OpenReader(info_);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    auto table = (*reader)->ToTable();
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    return *table;
  }

  testing::TempDir dir_;
  DatasetName name_ = *DatasetName::Parse("sales/eu");
  std::shared_ptr<arrow::Table> table_ = testing::AllTypesTable(500);
  std::shared_ptr<DatasetStore> store_;
  DatasetInfo info_{name_, nullptr, 0, 0, 0, 0, nullptr};
};

TEST_F(StoreWithCacheTest, TheSecondReadComesFromTheCacheAndIsEqual) {
  const PartCache& cache = *store_->part_cache();
  auto first = ReadAll();
  ASSERT_TRUE(Eventually([&] { return cache.counters().fills == 2; }));
  int64_t row_groups = store_->read_counters().row_groups_read;
  auto second = ReadAll();
  EXPECT_EQ(cache.counters().hits, 2);
  EXPECT_EQ(store_->read_counters().row_groups_read, row_groups);  // no Parquet read
  EXPECT_TRUE(second->Equals(*first));
  ASSERT_OK_AND_ASSIGN(auto expected, arrow::ConcatenateTables({table_, table_}));
  EXPECT_TRUE(second->Equals(*expected));
}

TEST_F(StoreWithCacheTest, SelectiveReadsOfWholePartsUseTheCacheFiltersDoNot) {
  const PartCache& cache = *store_->part_cache();
  ReadAll();
  ASSERT_TRUE(Eventually([&] { return cache.counters().fills == 2; }));
  ReadSpec spec;
  const auto& fields = table_->schema()->fields();
  spec.columns = std::vector<std::string>{fields[3]->name(), fields[0]->name()};
  spec.limit = 700;
  ASSERT_OK_AND_ASSIGN(auto reader, store_->OpenReader(info_, spec));
  ASSERT_OK_AND_ASSIGN(auto read, reader->ToTable());
  EXPECT_GE(cache.counters().hits, 1);
  ASSERT_EQ(read->num_rows(), 700);
  ASSERT_EQ(read->num_columns(), 2);
  ASSERT_OK_AND_ASSIGN(auto expected, arrow::ConcatenateTables({table_, table_}));
  EXPECT_TRUE(read->column(0)->Equals(*expected->column(3)->Slice(0, 700)));
  EXPECT_TRUE(read->column(1)->Equals(*expected->column(0)->Slice(0, 700)));

  int64_t hits = cache.counters().hits;
  ReadSpec filtered;
  filtered.filter =
      arrow::compute::is_valid(arrow::compute::field_ref(fields[0]->name()));
  ASSERT_OK_AND_ASSIGN(auto filtered_reader, store_->OpenReader(info_, filtered));
  ASSERT_OK(filtered_reader->ToTable().status());
  EXPECT_EQ(cache.counters().hits, hits);
}

TEST_F(StoreWithCacheTest, CompactionDoesNotFillTheCache) {
  auto options = testing::TestStoreOptions(dir_.path() + "/root2");
  options.part_cache = PartCacheOptions{dir_.path() + "/cache2"};
  options.maintenance.compact_min_parts = 1;
  ASSERT_OK_AND_ASSIGN(auto store, DatasetStore::Make(options));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(
        auto upload, store->BeginUpload(name_, table_->schema(), UploadMode::kAppend));
    ASSERT_OK(upload->Write(*arrow::TableBatchReader(*table_).Next()));
    ASSERT_OK(upload->Commit().status());
  }
  ASSERT_OK_AND_ASSIGN(auto compacted, store->Compact(name_));
  EXPECT_EQ(compacted.manifest->parts.size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(store->part_cache()->counters().fills, 0);
  EXPECT_EQ(store->part_cache()->entries(), 0);
}

TEST(StoreCacheOptionsTest, ACacheInsideTheRootIsRefused) {
  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path());
  options.part_cache = PartCacheOptions{dir.path() + "/cache"};
  auto store = DatasetStore::Make(options);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsInvalid()) << store.status().ToString();
  EXPECT_NE(store.status().message().find("inside the store's root"), std::string::npos);
}

}  // namespace
}  // namespace quiver::store
