#include "quiver/common/path_name.h"

#include <gtest/gtest.h>

namespace quiver {
namespace {

TEST(PathNameTest, DirNameIsWhatDirnameSays) {
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("/root/ds/.parts/x.parquet"), "/root/ds/.parts");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName(""), ".");
  EXPECT_EQ(DirName("/c"), "/");
  EXPECT_EQ(DirName("a/"), "a");
}

TEST(PathNameTest, BaseNameIsTheLastSegment) {
  EXPECT_EQ(BaseName("a/b/c"), "c");
  EXPECT_EQ(BaseName("c"), "c");
  EXPECT_EQ(BaseName("/c"), "c");
  EXPECT_EQ(BaseName("a/"), "");
}

}  // namespace
}  // namespace quiver
