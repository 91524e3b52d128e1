#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "quiver/store/fs/s3_http_internal.h"

namespace quiver::store {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Sink {
  std::string* body;
  int64_t limit;
  bool truncated = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  const auto room = static_cast<size_t>(sink->limit) - sink->body->size();
  if (n > room) {
    sink->body->append(data, room);
    sink->truncated = true;
    return 0;  // stop the transfer: nothing S3 sends us here is that large
  }
  sink->body->append(data, n);
  return n;
}

// The request never left this machine: nothing can have been applied.
bool NeverSent(CURLcode code) {
  return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY ||
         code == CURLE_COULDNT_CONNECT || code == CURLE_URL_MALFORMAT ||
         code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_SSL_CONNECT_ERROR ||
         code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE;
}

#define QUIVER_CURL_SET(curl, option, value)                            \
  do {                                                                  \
    if (curl_easy_setopt(curl, option, value) != CURLE_OK)              \
      return arrow::Status::IOError("libcurl refused option " #option); \
  } while (false)

}  // namespace

arrow::Result<S3HttpResponse> SendS3Request(const S3HttpRequest& request,
                                            const S3Credentials& credentials) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return arrow::Status::IOError("libcurl could not create a handle");
  CURL* h = curl.get();

  curl_slist* raw_headers = nullptr;
  auto add_header = [&](const std::string& header) {
    curl_slist* next = curl_slist_append(raw_headers, header.c_str());
    if (next == nullptr) return false;
    raw_headers = next;
    return true;
  };
  bool ok = add_header("x-amz-content-sha256: UNSIGNED-PAYLOAD") &&
            add_header("Content-Type: application/octet-stream") &&
            add_header("Expect:");  // no 100-continue round trip for small bodies
  if (!credentials.session_token.empty()) {
    ok = ok && add_header("x-amz-security-token: " + credentials.session_token);
  }
  for (const auto& header : request.headers) ok = ok && add_header(header);
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  if (!ok) return arrow::Status::OutOfMemory("libcurl header list");

  QUIVER_CURL_SET(h, CURLOPT_URL, request.url.c_str());
  QUIVER_CURL_SET(h, CURLOPT_NOSIGNAL, 1L);
  QUIVER_CURL_SET(h, CURLOPT_PROXY, "");  // like Arrow's S3 client: no proxy from env
  QUIVER_CURL_SET(h, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(request.connect_timeout_ms));
  QUIVER_CURL_SET(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  QUIVER_CURL_SET(h, CURLOPT_HTTPHEADER, headers.get());
  if (request.method == "GET") {
    QUIVER_CURL_SET(h, CURLOPT_HTTPGET, 1L);
  } else {
    QUIVER_CURL_SET(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    QUIVER_CURL_SET(h, CURLOPT_POSTFIELDS, request.body.data());
    QUIVER_CURL_SET(h, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
  }
  if (!credentials.access_key_id.empty()) {
    const std::string sigv4 = "aws:amz:" + request.region + ":s3";
    QUIVER_CURL_SET(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
    QUIVER_CURL_SET(h, CURLOPT_USERNAME, credentials.access_key_id.c_str());
    QUIVER_CURL_SET(h, CURLOPT_PASSWORD, credentials.secret_access_key.c_str());
  }
  if (!request.tls_ca_file.empty()) {
    QUIVER_CURL_SET(h, CURLOPT_CAINFO, request.tls_ca_file.c_str());
  }
  if (!request.tls_ca_dir.empty()) {
    QUIVER_CURL_SET(h, CURLOPT_CAPATH, request.tls_ca_dir.c_str());
  }
  if (!request.tls_verify) {
    QUIVER_CURL_SET(h, CURLOPT_SSL_VERIFYPEER, 0L);
    QUIVER_CURL_SET(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  S3HttpResponse response;
  Sink sink{&response.body, request.max_response_bytes};
  QUIVER_CURL_SET(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  QUIVER_CURL_SET(h, CURLOPT_WRITEDATA, &sink);
  char error[CURL_ERROR_SIZE] = {0};
  QUIVER_CURL_SET(h, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.http_status);
  response.body_truncated = sink.truncated;
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && sink.truncated)) {
    response.http_status = 0;
    response.transport_error = error[0] != '\0' ? error : curl_easy_strerror(code);
    response.maybe_applied = !NeverSent(code);
  }
  return response;
}

}  // namespace quiver::store
