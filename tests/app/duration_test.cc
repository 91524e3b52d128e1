#include <gtest/gtest.h>

#include "quiver/app/duration_internal.h"

namespace quiver::app {
namespace {

using std::chrono::milliseconds;

TEST(ParseDurationTest, Units) {
  EXPECT_EQ(ParseDuration("12h").ValueOrDie(), std::chrono::hours(12));
  EXPECT_EQ(ParseDuration("90s").ValueOrDie(), std::chrono::seconds(90));
  EXPECT_EQ(ParseDuration("30m").ValueOrDie(), std::chrono::minutes(30));
  EXPECT_EQ(ParseDuration("7d").ValueOrDie(), std::chrono::hours(7 * 24));
  EXPECT_EQ(ParseDuration("1.5s").ValueOrDie(), milliseconds(1500));
  EXPECT_EQ(ParseDuration("250ms").ValueOrDie(), milliseconds(250));
  for (const char* bad : {"", "12", "h", "-1h", "0s", "1y", "12 h", "400d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(ParseDurationTest, ZeroOnlyWhereAllowed) {
  for (const char* zero :
       {"0", "00", "0s", "000ms", "0m", "0h", "0d", "0.", "0.0", "0.00s"}) {
    EXPECT_FALSE(ParseDuration(zero).ok()) << zero;
    auto allowed = ParseDuration(zero, ZeroDuration::kAllowed);
    ASSERT_TRUE(allowed.ok()) << zero << ": " << allowed.status().ToString();
    EXPECT_EQ(*allowed, milliseconds(0)) << zero;
  }
  for (const char* bad :
       {"", "-0", "-0s", ".0", "0x", "0 s", "0.0.0", "0e1", "0y", "s"}) {
    EXPECT_FALSE(ParseDuration(bad, ZeroDuration::kAllowed).ok()) << bad;
  }
  EXPECT_EQ(ParseDuration("90s", ZeroDuration::kAllowed).ValueOrDie(),
            std::chrono::seconds(90));
}

TEST(ParseDurationTest, FlagErrorsNameTheFlag) {
  auto refused = ParseDurationFlag("--gc-grace", "soon", ZeroDuration::kAllowed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "--gc-grace: expected a duration such as 90s, 30m, 12h or 7d, got 'soon'");
}

}  // namespace
}  // namespace quiver::app
