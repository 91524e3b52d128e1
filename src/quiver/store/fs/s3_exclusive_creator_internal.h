#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>

#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/fs/s3_http_internal.h"
#include "quiver/store/fs/s3_object_url_internal.h"

namespace quiver::store {

/// \brief Where the S3 creator sends its requests, and how.
struct S3ExclusiveCreatorOptions {
  S3Endpoint endpoint;
  /// Called before every request (credentials may rotate). Required.
  std::function<arrow::Result<S3Credentials>()> credentials;
  /// Requests per CreateExclusive: retries follow 409 ConditionalRequestConflict, 5xx
  /// and transport failures, with exponential backoff from `retry_backoff_ms`.
  int max_attempts = 4;
  int64_t retry_backoff_ms = 100;
  int64_t connect_timeout_ms = 10'000;
  int64_t request_timeout_ms = 30'000;
  /// TLS for https endpoints (Arrow's tls_ca_file_path, tls_ca_dir_path,
  /// tls_verify_certificates).
  std::string tls_ca_file;
  std::string tls_ca_dir;
  bool tls_verify = true;

  static S3ExclusiveCreatorOptions Defaults();

  /// \brief The endpoint, region, addressing, TLS settings and credentials provider of
  /// an Arrow S3FileSystem (its resolved region, its options' credentials provider).
  static arrow::Result<S3ExclusiveCreatorOptions> FromFileSystem(
      const arrow::fs::S3FileSystem& fs);
};

/// \brief An ExclusiveCreator for S3-compatible stores (AWS S3, MinIO, versitygw, Ceph
/// RGW): each CreateExclusive is `PUT /bucket/key` with `If-None-Match: *`, signed with
/// SigV4 by libcurl. The store creates the object only if the key is absent, and
/// answers 412 Precondition Failed otherwise, atomically (AWS S3 since 2024-08).
///
/// Retries are safe: when a retried PUT after an ambiguous failure (timeout, dropped
/// connection) meets 412, the creator reads the object back and reports OK if it holds
/// exactly `contents` (our first attempt landed), AlreadyExists otherwise.
///
/// Paths are Arrow S3 paths, "bucket/key".
arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeS3ExclusiveCreator(
    S3ExclusiveCreatorOptions options);

}  // namespace quiver::store
