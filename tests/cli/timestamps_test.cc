#include "quiver/cli/timestamps.h"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace quiver::cli {
namespace {

/// Run the test in a fixed time zone (a POSIX TZ rule: no tz database needed), and
/// put the process's back afterwards.
class TimeZone {
 public:
  explicit TimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~TimeZone() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

// Central European time: UTC+1 in winter, UTC+2 in summer.
constexpr char kOslo[] = "CET-1CEST,M3.5.0,M10.5.0/3";
// 2026-12-01T22:00:00Z
constexpr int64_t kInstant = 1796162400LL * 1000000;

TEST(FormatLocalTime, UsesTheLocalTimeZoneToTheSecond) {
  TimeZone tz(kOslo);
  EXPECT_EQ(FormatLocalTime(kInstant + 999999), "2026-12-01 23:00:00");
  // Summer time: UTC+2.
  EXPECT_EQ(FormatLocalTime(*ParseRfc3339("2026-07-01T10:00:00Z")),
            "2026-07-01 12:00:00");
}

TEST(AsOfArgument, PassesAnExactInstantThrough) {
  TimeZone tz(kOslo);
  EXPECT_EQ(*AsOfArgument("2026-12-01T22:00:00Z"), "2026-12-01T22:00:00.000000Z");
  EXPECT_EQ(*AsOfArgument("2026-12-01T23:00:00.25+01:00"), "2026-12-01T22:00:00.250000Z");
}

TEST(AsOfArgument, ALocalTimeCoversItsLastUnit) {
  TimeZone tz(kOslo);
  EXPECT_EQ(*AsOfArgument("2026-12-01 23:00:00"), "2026-12-01T22:00:00.999999Z");
  EXPECT_EQ(*AsOfArgument("2026-12-01T23:00:00"), "2026-12-01T22:00:00.999999Z");
  EXPECT_EQ(*AsOfArgument("2026-12-01 23:00"), "2026-12-01T22:00:59.999999Z");
  EXPECT_EQ(*AsOfArgument("2026-12-01 23:00:00.5"), "2026-12-01T22:00:00.500000Z");
  EXPECT_EQ(*AsOfArgument("2026-07-01 12:00:00"), "2026-07-01T10:00:00.999999Z");
}

TEST(AsOfArgument, ATimePrintedByVersionsSelectsThatVersion) {
  TimeZone tz(kOslo);
  const int64_t committed = kInstant + 730000;  // committed at 22:00:00.73 UTC
  auto sent = AsOfArgument(FormatLocalTime(committed));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_GE(*ParseRfc3339(*sent), committed);
  EXPECT_LT(*ParseRfc3339(*sent), kInstant + 1000000);
}

TEST(AsOfArgument, RefusesOtherTextNamingTheForms) {
  for (const char* bad : {"", "now", "yesterday", "1h", "2026-12-01", "2026-12-01 25:00",
                          "2026-12-01 23:00:00 UTC", "01/12/2026 23:00"}) {
    auto sent = AsOfArgument(bad);
    ASSERT_TRUE(sent.status().IsInvalid()) << bad;
    EXPECT_NE(sent.status().message().find("--as-of"), std::string::npos);
    EXPECT_NE(sent.status().message().find("2026-12-01T22:00:00Z"), std::string::npos);
  }
}

}  // namespace
}  // namespace quiver::cli
