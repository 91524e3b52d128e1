#include <string>

#include <gtest/gtest.h>

#include "quiver/cli/file_format_internal.h"

namespace quiver::cli {
namespace {

TEST(ParseFormatName, AcceptsNamesAndAliasesCaseInsensitively) {
  EXPECT_EQ(*ParseFormatName("parquet"), FileFormat::kParquet);
  EXPECT_EQ(*ParseFormatName("PQ"), FileFormat::kParquet);
  EXPECT_EQ(*ParseFormatName("csv"), FileFormat::kCsv);
  EXPECT_EQ(*ParseFormatName("jsonl"), FileFormat::kJson);
  EXPECT_EQ(*ParseFormatName("ndjson"), FileFormat::kJson);
  EXPECT_EQ(*ParseFormatName("Feather"), FileFormat::kArrow);
  EXPECT_EQ(*ParseFormatName("ipc"), FileFormat::kArrow);
}

TEST(ParseFormatName, RefusesUnknownNamesListingTheKnownOnes) {
  auto result = ParseFormatName("xml");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("parquet, csv, json or arrow"),
            std::string::npos);
}

TEST(FormatFromExtension, ReadsTheLastExtensionOfTheFileName) {
  EXPECT_EQ(FormatFromExtension("a/b/sales.parquet"), FileFormat::kParquet);
  EXPECT_EQ(FormatFromExtension("SALES.CSV"), FileFormat::kCsv);
  EXPECT_EQ(FormatFromExtension("events.jsonl"), FileFormat::kJson);
  EXPECT_EQ(FormatFromExtension("t.feather"), FileFormat::kArrow);
  EXPECT_EQ(FormatFromExtension("t.arrows"), FileFormat::kArrow);
  EXPECT_EQ(FormatFromExtension("backup.csv.gz"), std::nullopt);
  EXPECT_EQ(FormatFromExtension("dir.csv/noext"), std::nullopt);
  EXPECT_EQ(FormatFromExtension(".csv"), std::nullopt);  // a hidden file, no extension
}

TEST(FormatFromMagic, RecognisesSignatures) {
  EXPECT_EQ(FormatFromMagic("PAR1\x15\x04"), FileFormat::kParquet);
  EXPECT_EQ(FormatFromMagic(std::string("ARROW1\0\0", 8)), FileFormat::kArrow);
  EXPECT_EQ(FormatFromMagic(std::string("\xff\xff\xff\xff\x10\x01", 6)),
            FileFormat::kArrow);
  EXPECT_EQ(FormatFromMagic("  \n{\"a\":1}"), FileFormat::kJson);
  EXPECT_EQ(FormatFromMagic("id,name\n"), std::nullopt);
  EXPECT_EQ(FormatFromMagic(""), std::nullopt);
}

TEST(PathStem, IsTheFileNameWithoutItsExtension) {
  EXPECT_EQ(PathStem("data/sales.csv"), "sales");
  EXPECT_EQ(PathStem("sales"), "sales");
  EXPECT_EQ(PathStem("a.b.parquet"), "a.b");
  EXPECT_EQ(PathStem(".hidden"), ".hidden");
}

}  // namespace
}  // namespace quiver::cli
