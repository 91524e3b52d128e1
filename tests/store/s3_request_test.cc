// The parts of the S3 exclusive creator that need no server: object URLs and the
// mapping of S3 error answers to statuses.
#include <gtest/gtest.h>

#include "quiver/store/fs/s3_error_internal.h"
#include "quiver/store/fs/s3_object_url_internal.h"

#include "testing/assert.h"

namespace quiver::store {
namespace {

TEST(S3ObjectAddressTest, SplitsBucketAndKey) {
  auto a = S3ObjectAddress::FromPath("bucket/prefix/ds/_manifests/v1");
  ASSERT_OK(a.status());
  EXPECT_EQ(a->bucket, "bucket");
  EXPECT_EQ(a->key, "prefix/ds/_manifests/v1");
  EXPECT_EQ(S3ObjectAddress::FromPath("/bucket/k")->bucket, "bucket");
  EXPECT_TRUE(S3ObjectAddress::FromPath("bucket").status().IsInvalid());
  EXPECT_TRUE(S3ObjectAddress::FromPath("bucket/").status().IsInvalid());
  EXPECT_TRUE(S3ObjectAddress::FromPath("").status().IsInvalid());
}

TEST(S3ObjectUrlTest, EncodesKeysForSigV4) {
  EXPECT_EQ(EncodeS3Key("a/b-c_d.e~f/V1"), "a/b-c_d.e~f/V1");
  EXPECT_EQ(EncodeS3Key("a b+c=d&e"), "a%20b%2Bc%3Dd%26e");
  EXPECT_EQ(EncodeS3Key("caf\xc3\xa9"), "caf%C3%A9");
}

TEST(S3ObjectUrlTest, PathStyleForAnEndpointOverride) {
  S3Endpoint endpoint;
  endpoint.endpoint_override = "127.0.0.1:9000";
  endpoint.scheme = "http";
  S3ObjectAddress address{"b", "p/v 1"};
  EXPECT_EQ(*S3ObjectUrl(endpoint, address), "http://127.0.0.1:9000/b/p/v%201");
  endpoint.endpoint_override = "https://minio.example:9000/";
  EXPECT_EQ(*S3ObjectUrl(endpoint, address), "https://minio.example:9000/b/p/v%201");
  endpoint.force_virtual_addressing = true;
  EXPECT_EQ(*S3ObjectUrl(endpoint, address), "https://b.minio.example:9000/p/v%201");
}

TEST(S3ObjectUrlTest, VirtualHostForAws) {
  S3Endpoint endpoint;
  endpoint.region = "eu-west-3";
  EXPECT_EQ(*S3ObjectUrl(endpoint, {"b", "k"}), "https://b.s3.eu-west-3.amazonaws.com/k");
  endpoint.region.clear();
  EXPECT_EQ(*S3ObjectUrl(endpoint, {"b", "k"}), "https://b.s3.us-east-1.amazonaws.com/k");
  endpoint.scheme = "ftp";
  EXPECT_TRUE(S3ObjectUrl(endpoint, {"b", "k"}).status().IsInvalid());
}

constexpr char kNoSuchBucket[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchBucket</Code>"
    "<Message>The specified bucket does not exist</Message></Error>";

TEST(S3ErrorTest, ParsesCodeAndMessage) {
  auto error = S3ErrorBody::Parse(kNoSuchBucket);
  EXPECT_EQ(error.code, "NoSuchBucket");
  EXPECT_EQ(error.message, "The specified bucket does not exist");
  EXPECT_EQ(S3ErrorBody::Parse("not xml").code, "");
}

TEST(S3ErrorTest, MapsStatuses) {
  const S3ObjectAddress address{"bkt", "ds/v2"};
  auto st =
      S3ErrorToStatus(412, "<Error><Code>PreconditionFailed</Code></Error>", address);
  EXPECT_TRUE(st.IsAlreadyExists()) << st.ToString();
  EXPECT_NE(st.message().find("s3://bkt/ds/v2"), std::string::npos);

  st = S3ErrorToStatus(404, kNoSuchBucket, address);
  EXPECT_TRUE(st.IsIOError());
  EXPECT_NE(st.message().find("bucket 'bkt' does not exist"), std::string::npos)
      << st.message();

  st = S3ErrorToStatus(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>", address);
  EXPECT_TRUE(st.IsIOError());
  EXPECT_NE(st.message().find("secret key does not match"), std::string::npos)
      << st.message();
  st = S3ErrorToStatus(403, "<Error><Code>InvalidAccessKeyId</Code></Error>", address);
  EXPECT_NE(st.message().find("access key id is unknown"), std::string::npos);

  st = S3ErrorToStatus(501, "<Error><Code>NotImplemented</Code></Error>", address);
  EXPECT_TRUE(st.IsNotImplemented()) << st.ToString();

  st = S3ErrorToStatus(500, "", address);
  EXPECT_TRUE(st.IsIOError());
  EXPECT_NE(st.message().find("HTTP 500"), std::string::npos);
}

}  // namespace
}  // namespace quiver::store
