// The footer cache: parsed Parquet footers kept by part, least recently used out first;
// and the store opening parts with them.
#include "quiver/store/cache/footer_cache.h"

#include <gtest/gtest.h>

#include <arrow/compute/expression.h>
#include <arrow/io/memory.h>
#include <arrow/table.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include "quiver/store/dataset_store.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

std::shared_ptr<parquet::FileMetaData> FooterOf(int64_t rows) {
  auto table = testing::IntTable(1, rows);
  auto sink = *arrow::io::BufferOutputStream::Create();
  EXPECT_TRUE(
      parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink).ok());
  auto buffer = *sink->Finish();
  auto reader =
      parquet::ParquetFileReader::Open(std::make_shared<arrow::io::BufferReader>(buffer));
  return reader->metadata();
}

TEST(FooterCacheTest, KeepsFootersUntilTheLeastRecentlyUsedMustGo) {
  auto footer = FooterOf(10);
  FooterCache cache(3 * footer->size());
  EXPECT_EQ(cache.Get("d/a"), nullptr);
  cache.Put("d/a", footer);
  cache.Put("d/b", FooterOf(10));
  cache.Put("d/c", FooterOf(10));
  EXPECT_EQ(cache.Get("d/a"), footer);  // "b" becomes the least recently used
  cache.Put("d/d", FooterOf(10));
  EXPECT_EQ(cache.Get("d/b"), nullptr);
  EXPECT_NE(cache.Get("d/a"), nullptr);
  EXPECT_NE(cache.Get("d/c"), nullptr);
  EXPECT_NE(cache.Get("d/d"), nullptr);
  EXPECT_EQ(cache.hits, 4);
  EXPECT_EQ(cache.misses, 2);
}

TEST(FooterCacheTest, AFooterLargerThanTheCacheIsNotKept) {
  auto footer = FooterOf(10);
  FooterCache cache(footer->size() - 1);
  cache.Put("d/a", footer);
  EXPECT_EQ(cache.Get("d/a"), nullptr);
}

TEST(FooterCacheTest, TheStoreOpensPartsAgainWithTheirFooters) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store,
                       DatasetStore::Make(testing::TestStoreOptions(dir.path())));
  auto name = *DatasetName::Parse("d");
  auto table = testing::AllTypesTable(300);
  DatasetInfo info{name, nullptr, 0, 0, 0, 0, nullptr};
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(auto upload,
                         store->BeginUpload(name, table->schema(), UploadMode::kAppend));
    ASSERT_OK(upload->Write(*arrow::TableBatchReader(*table).Next()));
    ASSERT_OK_AND_ASSIGN(info, upload->Commit());
  }
  const FooterCache& footers = *store->footer_cache();
  ASSERT_OK_AND_ASSIGN(auto first, store->OpenReader(info));
  ASSERT_OK_AND_ASSIGN(auto first_table, first->ToTable());
  EXPECT_EQ(footers.hits, 0);
  EXPECT_EQ(footers.misses, 2);
  ASSERT_OK_AND_ASSIGN(auto second, store->OpenReader(info));
  ASSERT_OK_AND_ASSIGN(auto second_table, second->ToTable());
  EXPECT_EQ(footers.hits, 2);
  EXPECT_TRUE(second_table->Equals(*first_table));
  // Selective reads use them too.
  ReadSpec spec;
  spec.filter = arrow::compute::is_valid(
      arrow::compute::field_ref(table->schema()->field(0)->name()));
  ASSERT_OK_AND_ASSIGN(auto selective, store->OpenReader(info, spec));
  ASSERT_OK(selective->ToTable().status());
  EXPECT_EQ(footers.hits, 4);
}

TEST(FooterCacheTest, ZeroBytesTurnsItOff) {
  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path());
  options.read.footer_cache_bytes = 0;
  ASSERT_OK_AND_ASSIGN(auto store, DatasetStore::Make(options));
  EXPECT_EQ(store->footer_cache(), nullptr);
}

}  // namespace
}  // namespace quiver::store
