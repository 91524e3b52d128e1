#include <gtest/gtest.h>

#include <arrow/api.h>

#include "quiver/cli/text_table_internal.h"

namespace quiver::cli {
namespace {

TEST(RenderTable, AlignsColumnsAndTrimsTrailingSpaces) {
  TextTable table;
  table.header = {"NAME", "ROWS"};
  table.right_align = {false, true};
  table.rows = {{"sales", "1,000"}, {"a", "7"}};
  EXPECT_EQ(RenderTable(table),
            "NAME    ROWS\n"
            "sales  1,000\n"
            "a          7\n");
}

TEST(RenderTable, CountsCodePointsNotBytes) {
  TextTable table;
  table.header = {"k", "v"};
  table.rows = {{"\xC3\xA9t\xC3\xA9", "1"}, {"abc", "2"}};  // "été" is 3 wide
  EXPECT_EQ(RenderTable(table),
            "k    v\n"
            "\xC3\xA9t\xC3\xA9  1\n"
            "abc  2\n");
}

TEST(FitCell, CutsLongTextWithAnEllipsisAndFlattensNewlines) {
  EXPECT_EQ(FitCell("short", 10), "short");
  EXPECT_EQ(FitCell("exactly10!", 10), "exactly10!");
  EXPECT_EQ(FitCell("this is too long", 8), "this is\xE2\x80\xA6");
  EXPECT_EQ(DisplayWidth(FitCell("this is too long", 8)), 8u);
  EXPECT_EQ(FitCell("a\nb\tc", 10), "a b c");
  EXPECT_EQ(FitCell("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3),
            "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
}

TEST(BatchCells, PrintsValuesAndNulls) {
  arrow::Int64Builder ids;
  ASSERT_TRUE(ids.AppendValues({1, 2}).ok());
  arrow::StringBuilder names;
  ASSERT_TRUE(names.Append("apple").ok());
  ASSERT_TRUE(names.AppendNull().ok());
  auto schema = arrow::schema(
      {arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  auto batch = arrow::RecordBatch::Make(schema, 2, {*ids.Finish(), *names.Finish()});
  auto cells = BatchCells(*batch, 40);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0], (std::vector<std::string>{"1", "apple"}));
  EXPECT_EQ(cells[1], (std::vector<std::string>{"2", "null"}));
}

}  // namespace
}  // namespace quiver::cli
