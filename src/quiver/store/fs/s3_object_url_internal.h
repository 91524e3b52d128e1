#pragma once

#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver::store {

/// \brief Where an S3 object lives, split from an Arrow S3 path "bucket/key".
struct S3ObjectAddress {
  std::string bucket;
  std::string key;

  /// \brief Split "bucket/key/..." (Arrow's S3 path form); Invalid if the bucket or
  /// the key is empty.
  static arrow::Result<S3ObjectAddress> FromPath(std::string_view path);
};

/// \brief How to reach an S3-compatible endpoint, as arrow::fs::S3Options says.
struct S3Endpoint {
  /// "host:port" of a non-AWS store (MinIO, versitygw, Ceph); empty for AWS itself.
  std::string endpoint_override;
  /// "http" or "https".
  std::string scheme = "https";
  /// Region the requests are signed for ("us-east-1" if empty).
  std::string region;
  /// Virtual-host addressing (bucket.host/key) even with an endpoint_override. Without
  /// an override, AWS is always addressed virtual-host style.
  bool force_virtual_addressing = false;
};

/// \brief Percent-encode an object key for a SigV4 canonical URI: every byte except
/// the RFC 3986 unreserved ones (A-Z a-z 0-9 - . _ ~) and '/' becomes %XX (upper case).
std::string EncodeS3Key(std::string_view key);

/// \brief The URL of `address` at `endpoint`: path style
/// "http://host:port/bucket/key" for an endpoint_override, virtual-host style
/// "https://bucket.s3.<region>.amazonaws.com/key" for AWS (and when forced).
arrow::Result<std::string> S3ObjectUrl(const S3Endpoint& endpoint,
                                       const S3ObjectAddress& address);

}  // namespace quiver::store
