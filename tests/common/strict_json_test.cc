#include "quiver/common/strict_json.h"

#include <gtest/gtest.h>

namespace quiver {
namespace {

void ExpectInvalid(const arrow::Status& status, const std::string& part) {
  ASSERT_TRUE(status.IsInvalid()) << status.ToString();
  EXPECT_NE(status.message().find(part), std::string::npos) << status.message();
}

TEST(StrictJsonTest, OneObjectOfKnownKeysWithinItsSize) {
  ExpectInvalid(StrictJson::Parse("[1]", "the ticket", {}).status(),
                "the ticket must be a UTF-8 JSON object");
  ExpectInvalid(StrictJson::Parse("{\"a\": 1", "the ticket", {}).status(),
                "must be a UTF-8 JSON object");
  ExpectInvalid(StrictJson::Parse(R"({"a": 1, "b": 2})", "the ticket", {"a"}).status(),
                "unknown key 'b' in the ticket (accepted: a)");
  ExpectInvalid(StrictJson::Parse(R"({"a": "long"})", "the ticket", {}, 5).status(),
                "the ticket is larger than 5 bytes");
  EXPECT_TRUE(StrictJson::Parse(R"({"anything": 1})", "the ticket", {}).ok());
}

TEST(StrictJsonTest, MembersHaveTheirTypeAndRange) {
  auto doc = StrictJson::Parse(R"({"s": "x", "i": 7, "u": 18446744073709551615,
                                   "f": 1.5, "l": ["a", "b"], "d": ["a", "a"]})",
                               "it", {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->RequiredString("s").ValueOrDie(), "x");
  EXPECT_EQ(doc->RequiredInteger("i", 0, 10).ValueOrDie(), 7);
  EXPECT_FALSE(doc->String("missing").ValueOrDie().has_value());
  ExpectInvalid(doc->RequiredString("missing").status(), "it needs 'missing'");
  ExpectInvalid(doc->RequiredInteger("missing", 0, 1).status(), "it needs 'missing'");
  ExpectInvalid(doc->String("i").status(), "'i' in it must be a string");
  ExpectInvalid(doc->Integer("s", 0, 1).status(), "'s' in it must be an integer");
  ExpectInvalid(doc->Integer("f", 0, 10).status(), "'f' in it must be an integer");
  ExpectInvalid(doc->Integer("i", 8, 10).status(), "'i' in it must be between 8 and 10");
  ExpectInvalid(doc->Integer("u", 0, INT64_MAX).status(), "must be between");
  EXPECT_EQ(doc->StringList("l", 2).ValueOrDie()->size(), 2u);
  ExpectInvalid(doc->StringList("l", 1).status(), "has more than 1 entries");
  ExpectInvalid(doc->StringList("d", 5).status(), "names 'a' twice");
}

TEST(StrictJsonTest, NestedObjectsAreReadTheSameWay) {
  std::vector<StrictJson> parts;
  {
    auto doc = StrictJson::Parse(R"({"parts": [{"rows": 1}, {"rows": -1}]})", "it", {});
    ASSERT_TRUE(doc.ok());
    auto list = doc->ObjectList("parts", 10, "a part");
    ASSERT_TRUE(list.ok() && list->has_value());
    parts = std::move(**list);
  }
  // The items keep the document alive.
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].RequiredInteger("rows", 0, 5).ValueOrDie(), 1);
  ExpectInvalid(parts[1].RequiredInteger("rows", 0, 5).status(),
                "'rows' in a part in it must be between 0 and 5");
  auto bad = StrictJson::Parse(R"({"parts": [1]})", "it", {});
  ExpectInvalid(bad->ObjectList("parts", 10, "a part").status(),
                "'parts' in it must be a list of objects");
  const nlohmann::json value = {{"k", "v"}};
  EXPECT_EQ(StrictJson::Of(value, "the value")->RequiredString("k").ValueOrDie(), "v");
  ExpectInvalid(StrictJson::Of(nlohmann::json(3), "the value").status(),
                "the value must be an object");
}

}  // namespace
}  // namespace quiver
