#include "quiver/store/model/retention.h"

#include <gtest/gtest.h>

namespace quiver::store {
namespace {

constexpr int64_t kHour = int64_t{3600} * 1000000;

std::vector<VersionFacts> History(int count, int64_t spacing) {
  std::vector<VersionFacts> out;
  for (int i = 1; i <= count; ++i) out.push_back({i, i * spacing, false, false});
  return out;
}

RetentionOptions Options(int64_t keep, int hours, int grace_minutes) {
  RetentionOptions o;
  o.keep_versions = keep;
  o.keep_for = std::chrono::hours(hours);
  o.grace = std::chrono::minutes(grace_minutes);
  return o;
}

TEST(RetentionTest, BothRulesMustLetAVersionGo) {
  auto history = History(12, kHour);  // versions 1..12, one an hour
  int64_t now = 12 * kHour + 1;
  // Count alone would delete 1 and 2; time (10h) protects those superseded < 10h ago.
  auto d = DecideRetention(history, Options(10, 10, 15), now);
  // Version v stopped being current at (v+1)h: age = 12h - (v+1)h.
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1}));
  d = DecideRetention(history, Options(10, 0, 0), now);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1, 2}));
  d = DecideRetention(history, Options(100, 0, 0), now);
  EXPECT_TRUE(d.delete_versions.empty());
  EXPECT_FALSE(d.remove_dataset);
}

TEST(RetentionTest, GraceAndPinsProtect) {
  auto history = History(3, kHour);
  int64_t now = 3 * kHour + 1;
  // Version 2 was superseded 1 µs ago: the grace period protects it (not version 1,
  // superseded an hour ago).
  auto d = DecideRetention(history, Options(1, 0, 15), now);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1}));
  d = DecideRetention(history, Options(1, 0, 0), now);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1, 2}));
  history[0].pinned = true;
  d = DecideRetention(history, Options(1, 0, 0), now);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{2}));
}

TEST(RetentionTest, ADroppedDatasetIsKeptByTimeOnlyThenRemoved) {
  auto history = History(3, kHour);
  history.back().dropped = true;
  // Count does not protect a dropped dataset; time does.
  auto d = DecideRetention(history, Options(10, 2, 0), 3 * kHour + 1);
  EXPECT_TRUE(d.delete_versions.empty());
  d = DecideRetention(history, Options(10, 2, 0), 4 * kHour + 1);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1}));
  EXPECT_FALSE(d.remove_dataset);
  d = DecideRetention(history, Options(10, 2, 0), 6 * kHour);
  EXPECT_EQ(d.delete_versions, (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(d.remove_dataset);
  // The current version of a live dataset is never deleted.
  d = DecideRetention(History(1, kHour), Options(1, 0, 0), 100 * kHour);
  EXPECT_TRUE(d.delete_versions.empty());
  EXPECT_FALSE(d.remove_dataset);
}

}  // namespace
}  // namespace quiver::store
