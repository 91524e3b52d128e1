#include "quiver/common/schema_text.h"

#include <gtest/gtest.h>

#include <arrow/type.h>

namespace quiver {
namespace {

TEST(SchemaTextTest, RoundTrips) {
  auto schema = arrow::schema(
      {arrow::field("a", arrow::int64()),
       arrow::field("b", arrow::dictionary(arrow::int32(), arrow::utf8()))});
  auto text = EncodeSchemaText(*schema);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto back = DecodeSchemaText(*text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE((*back)->Equals(*schema));
}

TEST(SchemaTextTest, GarbageIsInvalidSayingWhich) {
  auto not_base64 = DecodeSchemaText("&&&");
  ASSERT_TRUE(not_base64.status().IsInvalid());
  EXPECT_EQ(not_base64.status().message(), "not base64");
  auto not_schema = DecodeSchemaText("aGVsbG8gd29ybGQ=");  // "hello world"
  ASSERT_TRUE(not_schema.status().IsInvalid());
  EXPECT_EQ(not_schema.status().message(), "not an Arrow IPC schema");
}

}  // namespace
}  // namespace quiver
