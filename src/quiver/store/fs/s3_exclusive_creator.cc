#include <chrono>
#include <thread>
#include <utility>

#include <arrow/filesystem/s3fs.h>

#include "quiver/store/fs/s3_error_internal.h"
#include "quiver/store/fs/s3_exclusive_creator_internal.h"

namespace quiver::store {
namespace {

bool Retryable(long http_status) {
  return http_status == 409 ||  // ConditionalRequestConflict: a racing conditional PUT
         http_status == 500 || http_status == 502 || http_status == 503 ||
         http_status == 504;
}

class S3ExclusiveCreator final : public ExclusiveCreator {
 public:
  explicit S3ExclusiveCreator(S3ExclusiveCreatorOptions options)
      : options_(std::move(options)) {}

  arrow::Status CreateExclusive(const std::string& path,
                                std::string_view contents) override {
    ARROW_ASSIGN_OR_RAISE(auto address, S3ObjectAddress::FromPath(path));
    ARROW_ASSIGN_OR_RAISE(auto url, S3ObjectUrl(options_.endpoint, address));
    S3HttpRequest put = BaseRequest(url);
    put.method = "PUT";
    put.headers.push_back("If-None-Match: *");
    put.body = contents;

    bool maybe_applied = false;  // an earlier attempt may have created the object
    int64_t backoff_ms = options_.retry_backoff_ms;
    S3HttpResponse response;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (attempt > 1) {
        std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
        backoff_ms *= 2;
      }
      ARROW_ASSIGN_OR_RAISE(auto credentials, Credentials());
      ARROW_ASSIGN_OR_RAISE(response, SendS3Request(put, credentials));
      if (response.http_status >= 200 && response.http_status < 300) {
        return arrow::Status::OK();
      }
      if (response.http_status == 412 && maybe_applied) {
        return ResolveAmbiguous(url, address, contents);
      }
      if (response.http_status == 0) {
        maybe_applied = maybe_applied || response.maybe_applied;
        continue;
      }
      if (!Retryable(response.http_status)) break;
    }
    if (response.http_status == 0) {
      return arrow::Status::IOError(
          "cannot reach the S3 endpoint for 's3://", address.bucket, "/", address.key,
          "': ", response.transport_error,
          maybe_applied ? " (the object may have been created)" : "");
    }
    return S3ErrorToStatus(response.http_status, response.body, address);
  }

 private:
  S3HttpRequest BaseRequest(const std::string& url) const {
    S3HttpRequest request;
    request.url = url;
    request.region =
        options_.endpoint.region.empty() ? "us-east-1" : options_.endpoint.region;
    request.connect_timeout_ms = options_.connect_timeout_ms;
    request.timeout_ms = options_.request_timeout_ms;
    request.tls_ca_file = options_.tls_ca_file;
    request.tls_ca_dir = options_.tls_ca_dir;
    request.tls_verify = options_.tls_verify;
    return request;
  }

  arrow::Result<S3Credentials> Credentials() const {
    if (!options_.credentials) {
      return arrow::Status::Invalid("S3 exclusive create: no credentials source");
    }
    return options_.credentials();
  }

  // A PUT of ours may have landed before its response was lost, and a retry then met
  // 412: the object is ours iff it holds exactly our contents.
  arrow::Status ResolveAmbiguous(const std::string& url, const S3ObjectAddress& address,
                                 std::string_view contents) const {
    S3HttpRequest get = BaseRequest(url);
    get.max_response_bytes = static_cast<int64_t>(contents.size()) + 1;
    ARROW_ASSIGN_OR_RAISE(auto credentials, Credentials());
    ARROW_ASSIGN_OR_RAISE(auto response, SendS3Request(get, credentials));
    if (response.http_status == 200) {
      if (!response.body_truncated && response.body == contents) {
        return arrow::Status::OK();
      }
      return S3ErrorToStatus(412, "", address);
    }
    if (response.http_status == 0) {
      return arrow::Status::IOError(
          "cannot reach the S3 endpoint for 's3://", address.bucket, "/", address.key,
          "' (the object may have been created): ", response.transport_error);
    }
    return S3ErrorToStatus(response.http_status, response.body, address);
  }

  const S3ExclusiveCreatorOptions options_;
};

}  // namespace

S3ExclusiveCreatorOptions S3ExclusiveCreatorOptions::Defaults() { return {}; }

arrow::Result<S3ExclusiveCreatorOptions> S3ExclusiveCreatorOptions::FromFileSystem(
    const arrow::fs::S3FileSystem& fs) {
  const arrow::fs::S3Options& s3 = fs.options();
  S3ExclusiveCreatorOptions options = Defaults();
  options.endpoint.endpoint_override = s3.endpoint_override;
  options.endpoint.scheme = s3.scheme;
  options.endpoint.region = fs.region();
  options.endpoint.force_virtual_addressing = s3.force_virtual_addressing;
  options.tls_ca_file = s3.tls_ca_file_path;
  options.tls_ca_dir = s3.tls_ca_dir_path;
  options.tls_verify = s3.tls_verify_certificates;
  // S3Options holds the provider (environment, profile, STS, instance role...): ask it
  // on every request so that temporary credentials are refreshed as Arrow's are.
  options.credentials = [s3]() -> arrow::Result<S3Credentials> {
    return S3Credentials{s3.GetAccessKey(), s3.GetSecretKey(), s3.GetSessionToken()};
  };
  return options;
}

arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeS3ExclusiveCreator(
    S3ExclusiveCreatorOptions options) {
  if (!options.credentials) {
    return arrow::Status::Invalid("S3ExclusiveCreatorOptions.credentials is required");
  }
  if (options.max_attempts < 1) {
    return arrow::Status::Invalid("S3ExclusiveCreatorOptions.max_attempts must be >= 1");
  }
  return std::make_shared<S3ExclusiveCreator>(std::move(options));
}

}  // namespace quiver::store
