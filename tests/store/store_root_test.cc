#include "quiver/store/store_root.h"

#include <gtest/gtest.h>

#include <arrow/filesystem/filesystem.h>

#include "testing/assert.h"

namespace quiver::store {
namespace {

TEST(StoreRootTest, TellsUrisFromPaths) {
  EXPECT_TRUE(IsStoreUri("s3://bucket/prefix"));
  EXPECT_TRUE(IsStoreUri("gs://bucket"));
  EXPECT_FALSE(IsStoreUri("./datasets"));
  EXPECT_FALSE(IsStoreUri("/var/lib/quiver"));
  EXPECT_FALSE(IsStoreUri("dir/with://inside"));
  EXPECT_FALSE(IsStoreUri("://x"));
}

TEST(StoreRootTest, RedactsSecrets) {
  EXPECT_EQ(RedactStoreRoot("/var/lib/quiver"), "/var/lib/quiver");
  EXPECT_EQ(RedactStoreRoot("s3://bucket/p?endpoint_override=h:1&scheme=http"),
            "s3://bucket/p?endpoint_override=h:1&scheme=http");
  EXPECT_EQ(RedactStoreRoot("s3://AKID:SeCrEt@bucket/p?region=us-east-1"),
            "s3://***@bucket/p?region=us-east-1");
  EXPECT_EQ(RedactStoreRoot("s3://bucket/p?access_key=AK&secret_key=S&session_token=T&"
                            "region=r"),
            "s3://bucket/p?access_key=***&secret_key=***&session_token=***&region=r");
  EXPECT_EQ(RedactStoreRoot("s3://b@x/p@q"), "s3://***@x/p@q");
}

TEST(StoreRootTest, LocalPathsAreLocalStores) {
  ASSERT_OK_AND_ASSIGN(auto options, MakeStoreOptionsForRoot("some/dir"));
  EXPECT_FALSE(options.shared);
  EXPECT_EQ(options.filesystem->type_name(), "local");
  ASSERT_OK(CheckStoreRoot(options));
}

TEST(StoreRootTest, UnknownSchemesAreInvalid) {
  auto st = MakeStoreOptionsForRoot("nosuchscheme://bucket/p").status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("cannot use --root nosuchscheme://bucket/p"),
            std::string::npos)
      << st.ToString();
}

}  // namespace
}  // namespace quiver::store
