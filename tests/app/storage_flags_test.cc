#include <gtest/gtest.h>

#include "quiver/app/storage_flags_internal.h"

namespace quiver::app {
namespace {

TEST(ParseByteSizeTest, UnitsArePowersOf1024) {
  EXPECT_EQ(ParseByteSize("0").ValueOrDie(), 0);
  EXPECT_EQ(ParseByteSize("4096").ValueOrDie(), 4096);
  EXPECT_EQ(ParseByteSize("4096B").ValueOrDie(), 4096);
  EXPECT_EQ(ParseByteSize("64KiB").ValueOrDie(), 64 * 1024);
  EXPECT_EQ(ParseByteSize("64K").ValueOrDie(), 64 * 1024);
  EXPECT_EQ(ParseByteSize("512MiB").ValueOrDie(), int64_t{512} << 20);
  EXPECT_EQ(ParseByteSize("10GiB").ValueOrDie(), int64_t{10} << 30);
  EXPECT_EQ(ParseByteSize("2T").ValueOrDie(), int64_t{2} << 40);
  EXPECT_EQ(ParseByteSize("4194304TiB").ValueOrDie(), int64_t{1} << 62);
}

TEST(ParseByteSizeTest, AnythingElseIsRefusedWithTheAcceptedForm) {
  for (const char* bad : {"", "GiB", "10 GiB", "10gb", "10GB", "-1", "1.5GiB", "10Gi",
                          "4194305TiB", "9999999999999999", "12x"}) {
    auto size = ParseByteSize(bad);
    ASSERT_FALSE(size.ok()) << bad;
    EXPECT_NE(size.status().message().find("10GiB"), std::string::npos) << bad;
  }
}

TEST(StorageFlagsTest, CacheDirTurnsThePartCacheOn) {
  StorageFlags flags;
  store::StoreOptions options;
  ASSERT_TRUE(ApplyStorageFlags(flags, &options).ok());
  EXPECT_FALSE(options.part_cache.has_value());
  flags.cache_dir = "cache";
  flags.cache_size = "3GiB";
  ASSERT_TRUE(ApplyStorageFlags(flags, &options).ok());
  ASSERT_TRUE(options.part_cache.has_value());
  EXPECT_EQ(options.part_cache->directory, "cache");  // made absolute by the store
  EXPECT_EQ(options.part_cache->max_bytes, int64_t{3} << 30);
  flags.cache_size = "100KiB";
  auto refused = ApplyStorageFlags(flags, &options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("--cache-size"), std::string::npos);
}

}  // namespace
}  // namespace quiver::app
