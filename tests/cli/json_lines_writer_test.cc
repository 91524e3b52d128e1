#include <cmath>

#include <gtest/gtest.h>

#include <arrow/api.h>
#include <arrow/io/memory.h>

#include "quiver/cli/json_lines_writer_internal.h"

namespace quiver::cli {
namespace {

TEST(JsonLinesWriter, WritesOneObjectPerRow) {
  arrow::Int64Builder ids;
  ASSERT_TRUE(ids.AppendValues({1, 2}).ok());
  arrow::DoubleBuilder scores;
  ASSERT_TRUE(scores.Append(0.5).ok());
  ASSERT_TRUE(scores.Append(std::nan("")).ok());
  arrow::StringBuilder labels;
  ASSERT_TRUE(labels.Append("say \"hi\"\n\x01").ok());
  ASSERT_TRUE(labels.AppendNull().ok());
  arrow::BooleanBuilder flags;
  ASSERT_TRUE(flags.AppendValues(std::vector<bool>{true, false}).ok());
  auto list_type = arrow::list(arrow::int32());
  arrow::ListBuilder lists(arrow::default_memory_pool(),
                           std::make_shared<arrow::Int32Builder>());
  auto* items = static_cast<arrow::Int32Builder*>(lists.value_builder());
  ASSERT_TRUE(lists.Append().ok());
  ASSERT_TRUE(items->AppendValues({7, 8}).ok());
  ASSERT_TRUE(lists.Append().ok());

  auto schema = arrow::schema(
      {arrow::field("id", arrow::int64()), arrow::field("score", arrow::float64()),
       arrow::field("label", arrow::utf8()), arrow::field("flag", arrow::boolean()),
       arrow::field("items", list_type)});
  auto batch =
      arrow::RecordBatch::Make(schema, 2,
                               {*ids.Finish(), *scores.Finish(), *labels.Finish(),
                                *flags.Finish(), *lists.Finish()});

  auto sink = *arrow::io::BufferOutputStream::Create();
  auto writer = MakeJsonLinesWriter(sink, schema);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(
      (*sink->Finish())->ToString(),
      "{\"id\":1,\"score\":0.5,\"label\":\"say \\\"hi\\\"\\n\\u0001\",\"flag\":true,"
      "\"items\":[7,8]}\n"
      "{\"id\":2,\"score\":null,\"label\":null,\"flag\":false,\"items\":[]}\n");
}

TEST(JsonLinesWriter, RefusesABatchOfAnotherSchema) {
  auto schema = arrow::schema({arrow::field("a", arrow::int64())});
  auto other = arrow::schema({arrow::field("b", arrow::int64())});
  arrow::Int64Builder values;
  ASSERT_TRUE(values.Append(1).ok());
  auto batch = arrow::RecordBatch::Make(other, 1, {*values.Finish()});
  auto sink = *arrow::io::BufferOutputStream::Create();
  auto writer = *MakeJsonLinesWriter(sink, schema);
  EXPECT_TRUE(writer->Write(*batch).IsInvalid());
}

}  // namespace
}  // namespace quiver::cli
