#include "quiver/telemetry/otlp_http_exporter.h"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>

#include <curl/curl.h>

#include "quiver/common/redacted_uri.h"
#include "quiver/common/version.h"
#include "quiver/telemetry/otlp_json_internal.h"
#include "quiver/telemetry/otlp_proto_internal.h"

namespace quiver::telemetry {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kScopeName[] = "quiver";

size_t DiscardBody(char*, size_t size, size_t count, void*) { return size * count; }

/// Keeps the Retry-After header of the last answer (curl's header callback).
size_t CaptureRetryAfter(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (match) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.remove_suffix(1);
      *static_cast<std::string*>(user) = std::string(value);
    }
  }
  return size * count;
}

/// A Retry-After value (delta-seconds or an HTTP date) as a wait; nullopt if unusable.
std::optional<milliseconds> ParseRetryAfter(const std::string& value) {
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size() && seconds >= 0) {
    return milliseconds(seconds * 1000);
  }
  time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  auto wait =
      std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(wait));
}

bool IsRetryableHttpStatus(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/// The connection closed or broke before an answer: the spec says to send again.
bool IsRetryableCurlCode(CURLcode code) {
  return code == CURLE_GOT_NOTHING || code == CURLE_SEND_ERROR ||
         code == CURLE_RECV_ERROR;
}

class OtlpHttpExporter : public SpanExporter {
 public:
  explicit OtlpHttpExporter(OtlpHttpOptions options)
      : options_(std::move(options)), random_(std::random_device{}()) {
    headers_ = curl_slist_append(headers_, options_.protocol == OtlpProtocol::kHttpJson
                                               ? "Content-Type: application/json"
                                               : "Content-Type: application/x-protobuf");
    for (const auto& [key, value] : options_.headers) {
      headers_ = curl_slist_append(headers_, (key + ": " + value).c_str());
    }
  }
  ~OtlpHttpExporter() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }

  void Interrupt() override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    wake_.notify_all();
  }

  arrow::Status Export(const std::vector<SpanData>& spans) override {
    if (spans.empty()) return arrow::Status::OK();
    std::string body =
        options_.protocol == OtlpProtocol::kHttpJson
            ? EncodeOtlpJson(options_.resource, kScopeName, kVersion, spans)
            : EncodeOtlpProto(options_.resource, kScopeName, kVersion, spans);
    const auto deadline = Clock::now() + options_.timeout;
    milliseconds backoff = options_.retry.initial_backoff;
    for (int attempt = 1;; ++attempt) {
      auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (remaining.count() <= 0) remaining = milliseconds(1);
      std::string retry_after;
      arrow::Status status = Post(body, remaining, &retry_after);
      if (status.ok() || !retryable_ || attempt >= options_.retry.max_attempts) {
        return status;
      }
      milliseconds wait = Jitter(backoff);
      if (auto asked = ParseRetryAfter(retry_after)) wait = *asked;
      backoff = std::min(backoff * 2, options_.retry.max_backoff);
      if (Clock::now() + wait >= deadline) {
        return status.WithMessage(status.message(), " (not retried: the next attempt ",
                                  "would end past the export timeout)");
      }
      if (!WaitUnlessInterrupted(wait)) return status;
    }
  }

 private:
  /// One POST. Sets retryable_ for the caller.
  arrow::Status Post(const std::string& body, milliseconds timeout,
                     std::string* retry_after) {
    retryable_ = false;
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
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, DiscardBody);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, CaptureRetryAfter);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, retry_after);
    CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      retryable_ = IsRetryableCurlCode(code);
      return arrow::Status::IOError("OTLP export to ", RedactUrl(options_.endpoint),
                                    " failed: ", curl_easy_strerror(code));
    }
    long http_status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &http_status);
    if (http_status < 200 || http_status >= 300) {
      retryable_ = IsRetryableHttpStatus(http_status);
      return arrow::Status::IOError("OTLP export to ", RedactUrl(options_.endpoint),
                                    " answered HTTP ", http_status);
    }
    return arrow::Status::OK();
  }

  milliseconds Jitter(milliseconds wait) {
    std::uniform_real_distribution<double> factor(0.8, 1.2);
    return milliseconds(static_cast<int64_t>(wait.count() * factor(random_)));
  }

  /// \return false if interrupted (now or before).
  bool WaitUnlessInterrupted(milliseconds wait) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, wait, [this] { return interrupted_; });
  }

  const OtlpHttpOptions options_;
  curl_slist* headers_ = nullptr;
  CURL* curl_ = nullptr;
  bool retryable_ = false;
  std::mt19937 random_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool interrupted_ = false;
};

}  // namespace

arrow::Result<OtlpProtocol> ParseOtlpProtocol(std::string_view text) {
  if (text == "http/protobuf") return OtlpProtocol::kHttpProtobuf;
  if (text == "http/json") return OtlpProtocol::kHttpJson;
  return arrow::Status::Invalid(
      "quiver exports OTLP over HTTP: 'http/protobuf' (default) or 'http/json', got '",
      text, "'");
}

std::string_view OtlpProtocolName(OtlpProtocol protocol) {
  return protocol == OtlpProtocol::kHttpJson ? "http/json" : "http/protobuf";
}

std::string RedactUrl(std::string_view url) { return RedactUri(url); }

arrow::Result<std::unique_ptr<SpanExporter>> MakeOtlpHttpExporter(
    OtlpHttpOptions options) {
  if (!options.endpoint.starts_with("http://") &&
      !options.endpoint.starts_with("https://")) {
    return arrow::Status::Invalid(
        "OTLP endpoint must be an http:// or https:// URL, got '", options.endpoint, "'");
  }
  if (options.retry.max_attempts < 1) {
    return arrow::Status::Invalid("OTLP retry: max_attempts must be at least 1");
  }
  static std::once_flag curl_initialized;
  std::call_once(curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<OtlpHttpExporter>(std::move(options));
}

}  // namespace quiver::telemetry
