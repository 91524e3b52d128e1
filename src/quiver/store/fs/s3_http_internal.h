#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

namespace quiver::store {

/// \brief AWS credentials for one request. Never logged, never put in a message.
struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  /// Temporary credentials (STS, instance roles) only; sent as x-amz-security-token.
  std::string session_token;
};

/// \brief One S3 REST request, signed with AWS Signature Version 4 by libcurl.
struct S3HttpRequest {
  std::string method = "GET";
  /// Full URL, key already percent-encoded (S3ObjectUrl).
  std::string url;
  /// Region the request is signed for.
  std::string region = "us-east-1";
  /// Extra headers, "Name: value".
  std::vector<std::string> headers;
  /// Request body (PUT); must outlive the call.
  std::string_view body;
  /// Response bodies are kept up to this size; the transfer stops beyond it.
  int64_t max_response_bytes = 64 << 10;
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 60'000;
  /// TLS (https): CA bundle file / directory, and whether to verify the peer at all.
  std::string tls_ca_file;
  std::string tls_ca_dir;
  bool tls_verify = true;
};

/// \brief What came back. `http_status` is 0 when no response arrived; then
/// `transport_error` says why and `maybe_applied` whether the server may have received
/// (and acted on) the request anyway, e.g. a timeout after sending.
struct S3HttpResponse {
  long http_status = 0;
  std::string body;
  bool body_truncated = false;
  std::string transport_error;
  bool maybe_applied = false;
};

/// \brief Send `request` signed with `credentials` (unsigned if the access key id is
/// empty). Thread-safe; one connection per call. The payload is sent as
/// UNSIGNED-PAYLOAD (TLS protects it on https).
///
/// \return the response (any HTTP status, or a transport failure inside it); an error
/// only if libcurl itself cannot be set up.
arrow::Result<S3HttpResponse> SendS3Request(const S3HttpRequest& request,
                                            const S3Credentials& credentials);

}  // namespace quiver::store
