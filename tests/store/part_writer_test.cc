// PartWriter's row groups: bounded by rows (batches cut at the bound) and by bytes; and
// the page indexes every part carries.
#include "quiver/store/parquet/part_writer.h"

#include <gtest/gtest.h>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/page_index.h>

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

class PartWriterTest : public ::testing::Test {
 protected:
  /// Write batches of `batch_rows` rows (the last one shorter) until `total` rows, as one
  /// part with `options`; \return the part's entry.
  PartInfo WritePart(int64_t total, int64_t batch_rows, const WriteOptions& options) {
    auto fs = std::make_shared<arrow::fs::LocalFileSystem>();
    auto name = *DatasetName::Parse("rows");
    auto opened = PartWriter::Open(fs, path_, "p.parquet", name,
                                   testing::IntBatch(1)->schema(), options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return {};
    auto writer = std::move(*opened);
    for (int64_t start = 0; start < total; start += batch_rows) {
      auto st =
          writer->Write(testing::IntBatch(std::min(batch_rows, total - start), start));
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    auto part = writer->Finish();
    EXPECT_TRUE(part.ok()) << part.status().ToString();
    return part.ok() ? *part : PartInfo{};
  }

  std::unique_ptr<parquet::ParquetFileReader> OpenFile() {
    return parquet::ParquetFileReader::Open(*arrow::io::ReadableFile::Open(path_));
  }

  testing::TempDir dir_;
  std::string path_ = dir_.path() + "/p.parquet";
};

TEST_F(PartWriterTest, APartOfNRowsHasCeilNOverTheLimitRowGroups) {
  auto options = WriteOptions::Defaults();
  options.row_group_max_rows = 1000;
  // Batches smaller than, equal to, larger than and many times the limit, and not
  // dividing it: the row groups are the same.
  for (int64_t batch_rows : {300, 1000, 1700, 4500}) {
    SCOPED_TRACE(batch_rows);
    const int64_t total = 10'500;
    auto part = WritePart(total, batch_rows, options);
    EXPECT_EQ(part.num_rows, total);
    EXPECT_EQ(part.row_groups, (total + 999) / 1000);
    auto file = OpenFile();
    auto metadata = file->metadata();
    ASSERT_EQ(metadata->num_row_groups(), 11);
    for (int rg = 0; rg < 10; ++rg) EXPECT_EQ(metadata->RowGroup(rg)->num_rows(), 1000);
    EXPECT_EQ(metadata->RowGroup(10)->num_rows(), 500);
  }
}

TEST_F(PartWriterTest, AnExactMultipleOfTheLimitEndsWithoutAnEmptyRowGroup) {
  auto options = WriteOptions::Defaults();
  options.row_group_max_rows = 1000;
  auto part = WritePart(4000, 1000, options);
  EXPECT_EQ(part.row_groups, 4);
  EXPECT_EQ(OpenFile()->metadata()->num_row_groups(), 4);
}

TEST_F(PartWriterTest, RowGroupsAlsoCloseAtTheByteBound) {
  auto options = WriteOptions::Defaults();
  options.row_group_max_rows = 1 << 20;
  options.row_group_target_bytes = 8000;  // 1000 int64 values
  auto part = WritePart(10'000, 500, options);
  EXPECT_EQ(part.num_rows, 10'000);
  EXPECT_EQ(part.row_groups, 10);
}

TEST_F(PartWriterTest, ARowBoundBelowOneIsRefused) {
  auto options = WriteOptions::Defaults();
  options.row_group_max_rows = 0;
  auto opened = PartWriter::Open(std::make_shared<arrow::fs::LocalFileSystem>(), path_,
                                 "p.parquet", *DatasetName::Parse("rows"),
                                 testing::IntBatch(1)->schema(), options);
  EXPECT_TRUE(opened.status().IsInvalid()) << opened.status().ToString();
}

TEST_F(PartWriterTest, EveryColumnChunkHasAColumnAndAnOffsetIndex) {
  auto options = WriteOptions::Defaults();
  options.row_group_max_rows = 1000;
  WritePart(3000, 700, options);
  auto file = OpenFile();
  auto metadata = file->metadata();
  auto page_index = file->GetPageIndexReader();
  ASSERT_NE(page_index, nullptr);
  for (int rg = 0; rg < metadata->num_row_groups(); ++rg) {
    SCOPED_TRACE(rg);
    auto chunk = metadata->RowGroup(rg)->ColumnChunk(0);
    EXPECT_TRUE(chunk->GetColumnIndexLocation().has_value());
    EXPECT_TRUE(chunk->GetOffsetIndexLocation().has_value());
    auto row_group_index = page_index->RowGroup(rg);
    ASSERT_NE(row_group_index, nullptr);
    auto column_index = row_group_index->GetColumnIndex(0);
    ASSERT_NE(column_index, nullptr);
    EXPECT_FALSE(column_index->null_pages().empty());
    auto offset_index = row_group_index->GetOffsetIndex(0);
    ASSERT_NE(offset_index, nullptr);
    EXPECT_FALSE(offset_index->page_locations().empty());
  }
}

}  // namespace
}  // namespace quiver::store
