#include "quiver/store/model/dataset_name.h"

#include <string>

#include <gtest/gtest.h>

namespace quiver::store {
namespace {

TEST(DatasetNameTest, AcceptsCookbookAndNestedNames) {
  for (const char* text : {"uploaded.parquet", "AnimalData", "sales/2024", "a b/c-d_e.f",
                           "données/été", "x:y", "日本語"}) {
    auto name = DatasetName::Parse(text);
    ASSERT_TRUE(name.ok()) << text << ": " << name.status().ToString();
    EXPECT_EQ(name->ToString(), text);
  }
  auto name = DatasetName::Parse("sales/2024/q1");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->segments(), (std::vector<std::string>{"sales", "2024", "q1"}));
}

TEST(DatasetNameTest, RejectsHostileNames) {
  const std::string nul_inside("a\0b", 3);
  for (const std::string& text :
       {std::string(""),
        std::string("."),
        std::string(".."),
        std::string("../x"),
        std::string("/etc/passwd"),
        std::string("a/../../b"),
        std::string("a/./b"),
        std::string("a//b"),
        std::string("a/"),
        std::string(".hidden"),
        std::string(".quiver-tmp-1"),
        std::string("a\\b"),
        std::string("..\\..\\x"),
        nul_inside,
        std::string("tab\there"),
        std::string("new\nline"),
        std::string("del\x7f"),
        std::string("\xff\xfe"),
        std::string("\xc3\x28"),
        std::string("\xed\xa0\x80"),  // UTF-16 surrogate encoded in UTF-8
        std::string(256, 'x'),
        std::string("a/") + std::string(300, 'y')}) {
    auto name = DatasetName::Parse(text);
    EXPECT_FALSE(name.ok()) << "accepted: " << text;
    if (!name.ok()) {
      EXPECT_TRUE(name.status().IsInvalid());
    }
  }
}

TEST(DatasetNameTest, RejectsSeparatorsInsideSegments) {
  EXPECT_FALSE(DatasetName::Make({"a/b"}).ok());
  EXPECT_FALSE(DatasetName::Make({"..", "x"}).ok());
  EXPECT_FALSE(DatasetName::Make({}).ok());
  EXPECT_TRUE(DatasetName::Make({"a", "b"}).ok());
}

TEST(DatasetNameTest, EnforcesLengthLimits) {
  EXPECT_TRUE(DatasetName::Parse(std::string(255, 'x')).ok());
  EXPECT_FALSE(DatasetName::Parse(std::string(256, 'x')).ok());
  std::vector<std::string> many(DatasetName::kMaxSegments + 1, "s");
  EXPECT_FALSE(DatasetName::Make(many).ok());
  std::vector<std::string> long_total(5, std::string(250, 'x'));  // 1254 bytes
  EXPECT_FALSE(DatasetName::Make(long_total).ok());
}

TEST(DatasetNameTest, ErrorMessagesEscapeControlBytes) {
  auto name = DatasetName::Parse(std::string("bad\x01name", 8));
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.status().message().find("\\x01"), std::string::npos)
      << name.status().message();
}

}  // namespace
}  // namespace quiver::store
