#include "quiver/common/unique_name.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace quiver {
namespace {

TEST(UniqueNameTest, PrefixRandomCounterSuffix) {
  const std::string name = UniqueName(".tmp-", ".parquet");
  ASSERT_TRUE(name.starts_with(".tmp-")) << name;
  ASSERT_TRUE(name.ends_with(".parquet")) << name;
  const std::string middle = name.substr(5, name.size() - 5 - 8);
  ASSERT_GT(middle.size(), 17u) << name;
  EXPECT_EQ(middle.find_first_not_of("0123456789abcdef"), 16u) << name;
  EXPECT_EQ(middle[16], '-') << name;
  EXPECT_EQ(middle.find_first_not_of("0123456789", 17), std::string::npos) << name;
}

TEST(UniqueNameTest, NeverTheSameTwiceInAProcess) {
  std::set<std::string> names;
  for (int i = 0; i < 10000; ++i) names.insert(UniqueName("p"));
  EXPECT_EQ(names.size(), 10000u);
}

}  // namespace
}  // namespace quiver
