#include "quiver/common/redacted_uri.h"

#include <gtest/gtest.h>

namespace quiver {
namespace {

bool IsKey(std::string_view name) { return name.find("key") != std::string_view::npos; }

TEST(RedactedUriTest, UserInformationNeverShows) {
  EXPECT_EQ(RedactUri("https://user:secret@collector:4318/v1/traces"),
            "https://***@collector:4318/v1/traces");
  EXPECT_EQ(RedactUri("s3://AKID@bucket/p"), "s3://***@bucket/p");
  EXPECT_EQ(RedactUri("s3://b@x/p@q"), "s3://***@x/p@q");
  EXPECT_EQ(RedactUri("http://collector"), "http://collector");
  EXPECT_EQ(RedactUri("s3://[::1]:9000/bucket"), "s3://[::1]:9000/bucket");
}

TEST(RedactedUriTest, SecretQueryValuesAreReplacedInPlace) {
  EXPECT_EQ(RedactUri("s3://b/p?access_key=AK&region=r&secret_key=S", IsKey),
            "s3://b/p?access_key=***&region=r&secret_key=***");
  EXPECT_EQ(RedactUri("s3://b/p?access_key=AK&flag&x=%2F", IsKey),
            "s3://b/p?access_key=***&flag&x=%2F");
  EXPECT_EQ(RedactUri("s3://b/p?access_key=AK"), "s3://b/p?access_key=AK");
}

TEST(RedactedUriTest, WhatDoesNotParseIsHidden) {
  EXPECT_EQ(RedactUri("s3://AK:S@bad host/x"), "s3://***");
  EXPECT_EQ(RedactUri("no scheme://AK:S@x"), "***");
  EXPECT_EQ(RedactUri("/var/lib/quiver"), "/var/lib/quiver");
}

}  // namespace
}  // namespace quiver
