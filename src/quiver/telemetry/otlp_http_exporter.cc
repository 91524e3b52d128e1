#include "quiver/telemetry/otlp_http_exporter.h"

#include <mutex>

#include <curl/curl.h>

#include "quiver/telemetry/otlp_json.h"

namespace quiver::telemetry {
namespace {

constexpr char kScopeName[] = "quiver";
constexpr char kScopeVersion[] = "0.1.0";

size_t DiscardBody(char*, size_t size, size_t count, void*) { return size * count; }

class OtlpHttpExporter : public SpanExporter {
 public:
  explicit OtlpHttpExporter(OtlpHttpOptions options) : options_(std::move(options)) {
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    for (const auto& [key, value] : options_.headers) {
      headers_ = curl_slist_append(headers_, (key + ": " + value).c_str());
    }
  }
  ~OtlpHttpExporter() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }

  arrow::Status Export(const std::vector<SpanData>& spans) override {
    if (spans.empty()) return arrow::Status::OK();
    std::string body =
        EncodeOtlpJson(options_.resource, kScopeName, kScopeVersion, spans);
    // One handle, reused, keeps the connection to the collector alive.
    if (curl_ == nullptr) {
      curl_ = curl_easy_init();
      if (curl_ == nullptr) return arrow::Status::IOError("curl_easy_init failed");
    }
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, options_.endpoint.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, DiscardBody);
    CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      return arrow::Status::IOError("OTLP export to ", RedactUrl(options_.endpoint),
                                    " failed: ", curl_easy_strerror(code));
    }
    long http_status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &http_status);
    if (http_status < 200 || http_status >= 300) {
      return arrow::Status::IOError("OTLP export to ", RedactUrl(options_.endpoint),
                                    " answered HTTP ", http_status);
    }
    return arrow::Status::OK();
  }

 private:
  OtlpHttpOptions options_;
  curl_slist* headers_ = nullptr;
  CURL* curl_ = nullptr;
};

}  // namespace

std::string RedactUrl(std::string_view url) {
  auto scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  auto at = url.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start)) + "***" + std::string(url.substr(start + at));
}

arrow::Result<std::unique_ptr<SpanExporter>> MakeOtlpHttpExporter(
    OtlpHttpOptions options) {
  if (!options.endpoint.starts_with("http://") &&
      !options.endpoint.starts_with("https://")) {
    return arrow::Status::Invalid(
        "OTLP endpoint must be an http:// or https:// URL, got '", options.endpoint, "'");
  }
  static std::once_flag curl_initialized;
  std::call_once(curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<OtlpHttpExporter>(std::move(options));
}

}  // namespace quiver::telemetry
