#include "quiver/common/rfc3339.h"

#include <gtest/gtest.h>

namespace quiver {
namespace {

// 2026-12-01T22:00:00Z
constexpr int64_t kInstant = 1796162400LL * 1000000;

TEST(ParseRfc3339, ReadsUtcOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339("2026-12-01T22:00:00Z"), kInstant);
  EXPECT_EQ(*ParseRfc3339("2026-12-01T22:00:00.123456Z"), kInstant + 123456);
  EXPECT_EQ(*ParseRfc3339("2026-12-01T22:00:00.5Z"), kInstant + 500000);
  EXPECT_EQ(*ParseRfc3339("2026-12-01T23:30:00+01:30"), kInstant);
  EXPECT_EQ(*ParseRfc3339("2026-12-01 20:00:00-02:00"), kInstant);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
}

TEST(ParseRfc3339, RefusesWhatIsNotRfc3339) {
  for (const char* bad :
       {"", "yesterday", "2026-12-01", "2026-12-01T22:00:00", "2026-12-01T22:00Z",
        "2026-13-01T22:00:00Z", "2026-02-30T22:00:00Z", "2026-12-01T24:00:00Z",
        "2026-12-01T22:00:00.Z", "2026-12-01T22:00:00+1:00", "2026-12-01T22:00:00Zjunk",
        "1969-12-31T23:59:59Z"}) {
    auto parsed = ParseRfc3339(bad);
    EXPECT_TRUE(parsed.status().IsInvalid()) << bad;
  }
}

TEST(FormatRfc3339Utc, WritesMicrosecondsInUtc) {
  EXPECT_EQ(FormatRfc3339Utc(kInstant), "2026-12-01T22:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339Utc(kInstant + 7), "2026-12-01T22:00:00.000007Z");
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339Utc(kInstant + 987654)), kInstant + 987654);
}

TEST(ParseWrittenTime, KeepsWhatWasWritten) {
  auto local = ParseWrittenTime("2026-12-01 23:00");
  ASSERT_TRUE(local.has_value());
  EXPECT_FALSE(local->has_seconds);
  EXPECT_FALSE(local->offset_seconds.has_value());
  auto exact = ParseWrittenTime("2026-12-01T23:00:00.25+01:00");
  ASSERT_TRUE(exact.has_value());
  EXPECT_TRUE(exact->has_fraction);
  EXPECT_EQ(exact->micros, 250000);
  EXPECT_EQ(exact->offset_seconds, 3600);
  EXPECT_FALSE(ParseWrittenTime("2026-12-01").has_value());
}

}  // namespace
}  // namespace quiver
