// Roots written by earlier releases (one Parquet file per dataset) are migrated in
// place into version 1 of each dataset, idempotently.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <arrow/io/file.h>
#include <arrow/table.h>
#include <parquet/arrow/writer.h>

#include "quiver/store/dataset_store.h"

#include "testing/data.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;

void WriteLegacy(const std::string& path, const std::shared_ptr<arrow::Table>& table) {
  fs::create_directories(fs::path(path).parent_path());
  auto out = arrow::io::FileOutputStream::Open(path).ValueOrDie();
  ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out).ok());
  ASSERT_TRUE(out->Close().ok());
}

class MigrationTest : public ::testing::Test {
 protected:
  arrow::Result<std::shared_ptr<DatasetStore>> Open() {
    auto options = MakeLocalStoreOptions(dir_.path());
    options->maintenance.background = false;
    return DatasetStore::Make(*options);
  }
  std::shared_ptr<arrow::Table> Read(DatasetStore& store, const char* name) {
    auto reader = store.OpenReader(*DatasetName::Parse(name));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return (*reader)->ToTable().ValueOrDie();
  }
  testing::TempDir dir_;
};

TEST_F(MigrationTest, OneFileDatasetsBecomeVersionOne) {
  auto all_types = testing::AllTypesTable(50);
  WriteLegacy(dir_.path() + "/uploaded.parquet", testing::IntTable(2, 10));
  WriteLegacy(dir_.path() + "/sales/2024", all_types);
  std::ofstream(dir_.path() + "/notes.txt") << "not parquet";
  auto store = Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->dataset_count(), 2u);
  auto info = (*store)->Get(*DatasetName::Parse("sales/2024"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, 1);
  EXPECT_EQ(info->manifest->operation, VersionOperation::kMigrate);
  EXPECT_EQ(info->num_rows, 50);
  EXPECT_TRUE(Read(**store, "uploaded.parquet")->Equals(*testing::IntTable(2, 10)));
  EXPECT_EQ(Read(**store, "sales/2024")->num_rows(), 50);
  EXPECT_TRUE(fs::exists(dir_.path() + "/notes.txt"));  // never touched
  // Idempotent: a second start changes nothing.
  store->reset();
  store = Open();
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Get(*DatasetName::Parse("sales/2024"))->version, 1);
  // And the dataset lives on as a versioned one.
  auto upload =
      (*store)->BeginUpload(*DatasetName::Parse("uploaded.parquet"),
                            testing::IntBatch(1)->schema(), UploadMode::kAppend);
  ASSERT_TRUE(upload.ok());
  ASSERT_TRUE((*upload)->Write(testing::IntBatch(5, 20)).ok());
  ASSERT_TRUE((*upload)->Commit().ok());
  EXPECT_EQ(Read(**store, "uploaded.parquet")->num_rows(), 25);
}

TEST_F(MigrationTest, AnInterruptedMigrationIsFinished) {
  auto table = testing::IntTable(1, 7);
  // Crashed after step 1: the file moved aside.
  WriteLegacy(dir_.path() + "/a/.quiver-migrate-b", table);
  // Crashed after step 2: the file is the part, no manifest yet.
  WriteLegacy(dir_.path() + "/c/.parts/migrated-v1.parquet", table);
  auto store = Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->dataset_count(), 2u);
  EXPECT_TRUE(Read(**store, "a/b")->Equals(*table));
  EXPECT_TRUE(Read(**store, "c")->Equals(*table));
  EXPECT_FALSE(fs::exists(dir_.path() + "/a/.quiver-migrate-b"));
}

}  // namespace
}  // namespace quiver::store
