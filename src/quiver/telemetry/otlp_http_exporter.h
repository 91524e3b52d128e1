#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/result.h>

#include "quiver/telemetry/span_exporter.h"

namespace quiver::telemetry {

/// \brief The OTLP/HTTP body encodings (OTEL_EXPORTER_OTLP_PROTOCOL).
enum class OtlpProtocol {
  /// "http/protobuf": binary protobuf, the OpenTelemetry specification's default.
  kHttpProtobuf,
  /// "http/json": the protobuf JSON mapping.
  kHttpJson,
};

/// \brief Parse "http/protobuf" or "http/json". \return Invalid for anything else
/// ("grpc" included: quiver speaks OTLP over HTTP only).
arrow::Result<OtlpProtocol> ParseOtlpProtocol(std::string_view text);
/// \brief "http/protobuf" or "http/json".
std::string_view OtlpProtocolName(OtlpProtocol protocol);

/// \brief How a batch the collector asks to be retried is retried (OTLP/HTTP spec:
/// HTTP 429, 502, 503 and 504 are retryable, with exponential back-off, honouring
/// Retry-After). All waiting happens on the exporter thread, and within the export
/// timeout: a wait that would end past it gives the batch up.
struct OtlpRetryOptions {
  /// Attempts per batch, the first included; 1 turns retrying off.
  int max_attempts = 5;
  /// Wait before the first retry; doubled for each later one (with +-20% jitter).
  std::chrono::milliseconds initial_backoff{1000};
  /// Longest back-off wait (a Retry-After header may ask for longer).
  std::chrono::milliseconds max_backoff{5000};

  static OtlpRetryOptions Defaults() { return {}; }
};

/// \brief Where and how to send OTLP/HTTP.
struct OtlpHttpOptions {
  /// Full URL of the traces endpoint, e.g. http://localhost:4318/v1/traces.
  std::string endpoint = "http://localhost:4318/v1/traces";
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  /// Extra request headers (e.g. an API key for a hosted collector).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Longest time one batch may take, retries and their waits included
  /// (OTEL_EXPORTER_OTLP_TIMEOUT).
  std::chrono::milliseconds timeout{10000};
  OtlpRetryOptions retry = OtlpRetryOptions::Defaults();
  /// Resource attributes sent with every batch (service.name...).
  std::vector<Attribute> resource;

  static OtlpHttpOptions Defaults() { return {}; }
};

/// \brief `url` without its user-info part ("http://user:secret@host/" becomes
/// "http://***@host/"), for log and error messages.
std::string RedactUrl(std::string_view url);

/// \brief Make an exporter POSTing OTLP/HTTP (protobuf or JSON bodies) with libcurl.
///
/// A batch counts as exported when the collector answers 2xx. HTTP 429, 502, 503 and
/// 504, and a connection closed without an answer, are retried as `options.retry`
/// says; any other answer, a refused connection or a timeout fails the batch at once.
/// Export is used from one thread at a time; Interrupt from any thread.
/// \return Invalid if the endpoint is not an http:// or https:// URL.
arrow::Result<std::unique_ptr<SpanExporter>> MakeOtlpHttpExporter(
    OtlpHttpOptions options);

}  // namespace quiver::telemetry
