#include <gtest/gtest.h>

#include "quiver/cli/human_units_internal.h"

namespace quiver::cli {
namespace {

TEST(FormatBytes, UsesBinaryUnitsWithThreeSignificantDigits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(12 * 1024 * 1024 + 300 * 1024), "12.3 MiB");
  EXPECT_EQ(FormatBytes(140LL * 1024 * 1024), "140 MiB");
  EXPECT_EQ(FormatBytes(4LL << 30), "4.0 GiB");
  EXPECT_EQ(FormatBytes(-1), "-");
}

TEST(FormatBytes, NeverPrintsAThousandOfAUnit) {
  EXPECT_EQ(FormatBytes(1024 * 1024 - 1), "1.0 MiB");
  EXPECT_EQ(FormatBytes(1000 * 1024), "1.0 MiB");
  EXPECT_EQ(FormatBytes(999 * 1024), "999 KiB");
}

TEST(FormatCount, GroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-5), "-");
}

TEST(FormatDuration, SecondsMinutesHours) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(59.4), "59s");
  EXPECT_EQ(FormatDuration(65), "1m05s");
  EXPECT_EQ(FormatDuration(2 * 3600 + 3 * 60 + 10), "2h03m");
  EXPECT_EQ(FormatDuration(-1), "--");
}

TEST(FormatRate, IsBytesPerSecond) {
  EXPECT_EQ(FormatRate(2.5 * 1024 * 1024), "2.5 MiB/s");
  EXPECT_EQ(FormatRate(0), "0 B/s");
}

}  // namespace
}  // namespace quiver::cli
