// How an INSERT's query columns become the table's: by position, by a column list,
// by name; conversions and nulls.

#include "quiver/sql/insert_columns.h"

#include <gtest/gtest.h>

#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

#include "testing/assert.h"

namespace quiver::sql {
namespace {

std::shared_ptr<arrow::Schema> Table() {
  return arrow::schema(
      {arrow::field("a", arrow::int32(), false), arrow::field("b", arrow::utf8())});
}

// One row: an int64 `x` and a string `y`.
std::shared_ptr<arrow::RecordBatch> Row(std::optional<int64_t> x, std::string y) {
  arrow::Int64Builder xs;
  arrow::StringBuilder ys;
  EXPECT_TRUE((x ? xs.Append(*x) : xs.AppendNull()).ok());
  EXPECT_TRUE(ys.Append(y).ok());
  auto schema = arrow::schema(
      {arrow::field("x", arrow::int64()), arrow::field("y", arrow::utf8())});
  return arrow::RecordBatch::Make(schema, 1, {*xs.Finish(), *ys.Finish()});
}

TEST(InsertColumnsTest, ByPositionConvertsToTheTablesTypes) {
  auto row = Row(7, "seven");
  ASSERT_OK_AND_ASSIGN(auto mapping,
                       InsertColumns::Make(row->schema(), Table(), {}, false));
  ASSERT_OK_AND_ASSIGN(auto out, mapping.Apply(*row));
  EXPECT_TRUE(out->schema()->Equals(*Table()));
  EXPECT_EQ(out->column(0)->GetScalar(0).ValueOrDie()->ToString(), "7");
  EXPECT_EQ(out->column(1)->GetScalar(0).ValueOrDie()->ToString(), "seven");
}

TEST(InsertColumnsTest, AColumnListPlacesColumnsAndLeavesTheRestNull) {
  auto one = arrow::RecordBatch::Make(arrow::schema({arrow::field("x", arrow::int64())}),
                                      1, {Row(3, "")->column(0)});
  ASSERT_OK_AND_ASSIGN(auto mapping,
                       InsertColumns::Make(one->schema(), Table(), {"a"}, false));
  ASSERT_OK_AND_ASSIGN(auto out, mapping.Apply(*one));
  EXPECT_EQ(out->column(0)->GetScalar(0).ValueOrDie()->ToString(), "3");
  EXPECT_EQ(out->column(1)->null_count(), 1);
  // The NOT NULL column may not be left out.
  EXPECT_TRUE(
      InsertColumns::Make(one->schema(), Table(), {"b"}, false).status().IsInvalid());
}

TEST(InsertColumnsTest, ByNameMatchesNames) {
  auto row = Row(1, "x");
  auto named =
      arrow::RecordBatch::Make(arrow::schema({arrow::field("b", arrow::utf8()),
                                              arrow::field("a", arrow::int64())}),
                               1, {row->column(1), row->column(0)});
  ASSERT_OK_AND_ASSIGN(auto mapping,
                       InsertColumns::Make(named->schema(), Table(), {}, true));
  ASSERT_OK_AND_ASSIGN(auto out, mapping.Apply(*named));
  EXPECT_EQ(out->column(0)->GetScalar(0).ValueOrDie()->ToString(), "1");
  EXPECT_EQ(out->column(1)->GetScalar(0).ValueOrDie()->ToString(), "x");
}

TEST(InsertColumnsTest, WhatDoesNotFitIsInvalid) {
  auto row = Row(1, "x");
  EXPECT_TRUE(InsertColumns::Make(row->schema(), Table(), {"a", "nope"}, false)
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(InsertColumns::Make(row->schema(), Table(), {"a", "a"}, false)
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(
      InsertColumns::Make(row->schema(), Table(), {"a"}, false).status().IsInvalid());
  ASSERT_OK_AND_ASSIGN(auto mapping,
                       InsertColumns::Make(row->schema(), Table(), {}, false));
  EXPECT_TRUE(mapping.Apply(*Row(std::nullopt, "x")).status().IsInvalid());  // NOT NULL
  EXPECT_TRUE(
      mapping.Apply(*Row(int64_t{1} << 40, "x")).status().IsInvalid());  // overflow
}

}  // namespace
}  // namespace quiver::sql
