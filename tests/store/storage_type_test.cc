// The storage forms of Arrow types (storage_type.h): each encoded type goes through
// Parquet and back exactly.

#include "quiver/store/model/storage_type.h"

#include <gtest/gtest.h>

#include <arrow/api.h>
#include <arrow/array/concatenate.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/initialize.h>
#include <arrow/io/memory.h>
#include <arrow/json/from_string.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>

#include "quiver/store/parquet/type_restore_internal.h"

#include "testing/assert.h"

namespace quiver::store {
namespace {

// Take, Cast and the hash kernels live in Arrow's compute registry (quiverd fills it at
// start).
class ComputeEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_TRUE(arrow::compute::Initialize().ok()); }
};
const auto* const kCompute = ::testing::AddGlobalTestEnvironment(new ComputeEnvironment);

std::shared_ptr<arrow::Array> Json(const std::shared_ptr<arrow::DataType>& type,
                                   const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

/// The values of a dictionary array, one per row.
arrow::Result<std::shared_ptr<arrow::Array>> Dense(const arrow::Array& array) {
  const auto& dictionary = static_cast<const arrow::DictionaryArray&>(array);
  return arrow::compute::Take(*dictionary.dictionary(), *dictionary.indices());
}

/// Write `batch` through StorageSchema into a Parquet buffer, read it back through
/// TypeRestorer.
arrow::Result<std::shared_ptr<arrow::Table>> RoundTrip(
    const std::shared_ptr<arrow::RecordBatch>& batch) {
  ARROW_ASSIGN_OR_RAISE(auto storage, StorageSchema::Make(batch->schema()));
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  auto props = parquet::WriterProperties::Builder().build();
  auto arrow_props = parquet::ArrowWriterProperties::Builder().store_schema()->build();
  ARROW_ASSIGN_OR_RAISE(auto writer, parquet::arrow::FileWriter::Open(
                                         *storage.stored(), arrow::default_memory_pool(),
                                         sink, props, arrow_props));
  ARROW_ASSIGN_OR_RAISE(auto stored, storage.Encode(batch));
  ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*stored));
  ARROW_RETURN_NOT_OK(writer->Close());
  ARROW_ASSIGN_OR_RAISE(auto buffer, sink->Finish());
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Open(std::make_shared<arrow::io::BufferReader>(buffer)));
  ARROW_ASSIGN_OR_RAISE(auto reader, builder.Build());
  ARROW_ASSIGN_OR_RAISE(auto batches, reader->GetRecordBatchReader());
  ARROW_ASSIGN_OR_RAISE(
      auto restorer,
      TypeRestorer::Make(*reader->parquet_reader()->metadata(), batches->schema()));
  auto restoring = MakeRestoringReader(std::move(batches), restorer);
  ARROW_ASSIGN_OR_RAISE(auto table, restoring->ToTable());
  return table->CombineChunks();
}

void ExpectRoundTrip(const std::shared_ptr<arrow::DataType>& type,
                     const std::string& json) {
  SCOPED_TRACE(type->ToString());
  auto array = Json(type, json);
  auto metadata = arrow::key_value_metadata({"k"}, {"v"});
  auto schema = arrow::schema(
      {arrow::field("c", type, true, metadata), arrow::field("n", arrow::int32(), false)},
      arrow::key_value_metadata({"s"}, {"w"}));
  auto ids = Json(arrow::int32(), "[]");
  arrow::Int32Builder builder;
  for (int64_t i = 0; i < array->length(); ++i) ASSERT_OK(builder.Append(int32_t(i)));
  ASSERT_OK_AND_ASSIGN(ids, builder.Finish());
  auto batch = arrow::RecordBatch::Make(schema, array->length(), {array, ids});
  ASSERT_OK_AND_ASSIGN(auto table, RoundTrip(batch));
  ASSERT_TRUE(table->schema()->Equals(*schema, /*check_metadata=*/true))
      << table->schema()->ToString(true);
  auto got = table->column(0)->chunk(0);
  ASSERT_OK(got->ValidateFull());
  EXPECT_TRUE(got->Equals(*array)) << got->ToString() << "\nwant " << array->ToString();
}

TEST(StorageTypeTest, NativeTypesAreStoredAsThey) {
  EXPECT_FALSE(IsEncoded(arrow::int64()));
  EXPECT_FALSE(IsEncoded(arrow::list(arrow::utf8())));
  EXPECT_FALSE(IsEncoded(arrow::dictionary(arrow::int8(), arrow::utf8())));
  EXPECT_TRUE(IsEncoded(arrow::month_interval()));
  EXPECT_TRUE(IsEncoded(arrow::list(arrow::dictionary(arrow::int8(), arrow::utf8()))));
  EXPECT_TRUE(IsEncoded(arrow::struct_({})));
  ASSERT_OK_AND_ASSIGN(
      auto plain,
      StorageSchema::Make(arrow::schema({arrow::field("a", arrow::int32())})));
  EXPECT_FALSE(plain.encoded());
  EXPECT_TRUE(plain.stored()->Equals(*plain.client(), /*check_metadata=*/false));
  EXPECT_TRUE(plain.stored()->metadata()->Contains(kClientSchemaKey));
}

TEST(StorageTypeTest, EncodedSchemaKeepsTheClientSchema) {
  auto client = arrow::schema({arrow::field("a", arrow::day_time_interval())});
  ASSERT_OK_AND_ASSIGN(auto storage, StorageSchema::Make(client));
  EXPECT_TRUE(storage.encoded());
  EXPECT_EQ(storage.stored()->field(0)->type()->id(), arrow::Type::STRUCT);
  ASSERT_NE(storage.stored()->metadata(), nullptr);
  EXPECT_TRUE(storage.stored()->metadata()->Contains(kClientSchemaKey));
  EXPECT_EQ(storage.native_fields()->num_fields(), 0);
}

TEST(StorageTypeTest, NoColumnsIsRefused) {
  auto st = StorageSchema::Make(arrow::schema({})).status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
}

TEST(StorageTypeTest, WhatParquetCannotStoreIsRefusedNamingTheColumn) {
  auto schema = arrow::schema(
      {arrow::field("a", arrow::int8()),
       arrow::field(
           "col", arrow::struct_({arrow::field("inner", arrow::fixed_size_binary(0))}))});
  auto st = StorageSchema::Make(schema).status();
  ASSERT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("'col.inner'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("fixed_size_binary[0]"), std::string::npos) << st.message();
}

TEST(StorageTypeTest, Intervals) {
  ExpectRoundTrip(arrow::month_interval(), "[1, null, -7]");
  ExpectRoundTrip(arrow::day_time_interval(), "[[1, 2], null, [-3, 2147483647]]");
  ExpectRoundTrip(arrow::month_day_nano_interval(),
                  "[[1, 2, 3], null, [-1, -2, -9223372036854775808]]");
  ExpectRoundTrip(arrow::list(arrow::month_day_nano_interval()),
                  "[[[1, 2, 3], null], null, []]");
}

TEST(StorageTypeTest, RunEndEncoded) {
  for (const auto& ends : {arrow::int16(), arrow::int32(), arrow::int64()}) {
    auto type = arrow::run_end_encoded(ends, arrow::utf8());
    auto dense = Json(arrow::utf8(), R"(["a", "a", null, null, "b"])");
    ASSERT_OK_AND_ASSIGN(auto ree, arrow::compute::RunEndEncode(
                                       dense, arrow::compute::RunEndEncodeOptions(ends)));
    SCOPED_TRACE(type->ToString());
    auto schema = arrow::schema({arrow::field("r", type)});
    for (int64_t offset : {0, 1, 3}) {
      auto array = ree.make_array()->Slice(offset);
      auto batch =
          arrow::RecordBatch::Make(schema, array->length(), arrow::ArrayVector{array});
      ASSERT_OK_AND_ASSIGN(auto table, RoundTrip(batch));
      ASSERT_TRUE(table->schema()->Equals(*schema));
      EXPECT_TRUE(table->column(0)->chunk(0)->Equals(*array));
    }
  }
}

TEST(StorageTypeTest, Unions) {
  auto fields = arrow::FieldVector{arrow::field("i", arrow::int32(), false),
                                   arrow::field("s", arrow::utf8())};
  ExpectRoundTrip(arrow::sparse_union(fields, {5, 2}),
                  R"([[5, 1], [2, "x"], [2, null], [5, 7]])");
  ExpectRoundTrip(arrow::dense_union(fields, {5, 2}),
                  R"([[5, 1], [2, "x"], [2, null], [5, 7]])");
  auto sliced = Json(arrow::dense_union(fields, {0, 1}), R"([[0, 1], [1, "x"], [0, 3]])");
  auto schema = arrow::schema({arrow::field("u", sliced->type())});
  auto array = sliced->Slice(1);
  ASSERT_OK_AND_ASSIGN(auto table,
                       RoundTrip(arrow::RecordBatch::Make(schema, array->length(),
                                                          arrow::ArrayVector{array})));
  EXPECT_TRUE(table->column(0)->chunk(0)->Equals(*array));
}

TEST(StorageTypeTest, Dictionaries) {
  // A dictionary holding a null, nested ones, ordered ones, unsigned indices.
  auto values = Json(arrow::utf8(), R"(["a", null, "b"])");
  for (const auto& index : {arrow::int8(), arrow::uint8(), arrow::uint64()}) {
    auto type = arrow::dictionary(index, arrow::utf8(), /*ordered=*/true);
    ASSERT_OK_AND_ASSIGN(
        auto indices,
        arrow::compute::Cast(*Json(arrow::int32(), "[0, 1, null, 2, 0]"), index));
    ASSERT_OK_AND_ASSIGN(auto array,
                         arrow::DictionaryArray::FromArrays(type, indices, values));
    auto schema = arrow::schema({arrow::field("d", type)});
    ASSERT_OK_AND_ASSIGN(auto table, RoundTrip(arrow::RecordBatch::Make(
                                         schema, 5, arrow::ArrayVector{array})));
    ASSERT_TRUE(table->schema()->Equals(*schema));
    ASSERT_OK_AND_ASSIGN(
        auto have, arrow::compute::Cast(*table->column(0)->chunk(0), arrow::utf8()));
    ASSERT_OK_AND_ASSIGN(auto want, arrow::compute::Cast(*array, arrow::utf8()));
    EXPECT_TRUE(have->Equals(*want)) << have->ToString();
  }
  auto nested = arrow::list(arrow::dictionary(arrow::int16(), arrow::utf8()));
  EXPECT_TRUE(IsEncoded(nested));
  // A dictionary of values Parquet has no dictionary for: stored decoded.
  auto intervals = arrow::dictionary(arrow::int32(), arrow::month_interval());
  ASSERT_OK_AND_ASSIGN(auto array, arrow::DictionaryArray::FromArrays(
                                       intervals, Json(arrow::int32(), "[0, null, 0, 1]"),
                                       Json(arrow::month_interval(), "[7, 9]")));
  auto schema = arrow::schema({arrow::field("d", intervals)});
  ASSERT_OK_AND_ASSIGN(auto table, RoundTrip(arrow::RecordBatch::Make(
                                       schema, 4, arrow::ArrayVector{array})));
  ASSERT_TRUE(table->schema()->Equals(*schema));
  ASSERT_OK_AND_ASSIGN(auto have, Dense(*table->column(0)->chunk(0)));
  ASSERT_OK_AND_ASSIGN(auto want, Dense(*array));
  EXPECT_TRUE(have->Equals(*want)) << have->ToString();
}

TEST(StorageTypeTest, StructsMapsAndLists) {
  // Parquet names list children "element": the client's names come back.
  ExpectRoundTrip(arrow::list_view(arrow::field("item", arrow::int32())), "[[1], null]");
  ExpectRoundTrip(arrow::list(arrow::field("x", arrow::int32(), false)), "[[1], null]");
  ExpectRoundTrip(arrow::struct_({}), "[{}, null, {}]");
  ExpectRoundTrip(arrow::list(arrow::struct_({})), "[[{}, null], null, []]");
  ExpectRoundTrip(arrow::struct_({arrow::field("a", arrow::month_interval()),
                                  arrow::field("a", arrow::date64(), false)}),
                  "[[1, 86400000], null]");
  ExpectRoundTrip(arrow::map(arrow::utf8(), arrow::day_time_interval()),
                  R"([[["k", [1, 2]]], null, []])");
  ExpectRoundTrip(arrow::fixed_size_list(arrow::month_interval(), 2),
                  "[[1, 2], null, [3, null]]");
  ExpectRoundTrip(arrow::large_list_view(arrow::month_interval()),
                  "[[1, 2], null, [3, null]]");
}

TEST(StorageTypeTest, EncodedColumnsSurviveSlicing) {
  auto array = Json(arrow::struct_({arrow::field("i", arrow::month_day_nano_interval())}),
                    R"([{"i": [1, 2, 3]}, null, {"i": null}, {"i": [4, 5, 6]}])")
                   ->Slice(1, 3);
  auto schema = arrow::schema({arrow::field("s", array->type())});
  ASSERT_OK_AND_ASSIGN(auto table,
                       RoundTrip(arrow::RecordBatch::Make(schema, array->length(),
                                                          arrow::ArrayVector{array})));
  EXPECT_TRUE(table->column(0)->chunk(0)->Equals(*array));
}

TEST(StorageTypeTest, AMalformedStoredColumnIsAnIOError) {
  auto st =
      DecodeArray(Json(arrow::utf8(), R"(["x"])"), arrow::day_time_interval()).status();
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  st = DecodeArray(Json(arrow::struct_({arrow::field("type_ids", arrow::int8()),
                                        arrow::field("a", arrow::int32())}),
                        R"([{"type_ids": 9, "a": 1}])"),
                   arrow::sparse_union({arrow::field("a", arrow::int32())}, {0}))
           .status();
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
}

}  // namespace
}  // namespace quiver::store
