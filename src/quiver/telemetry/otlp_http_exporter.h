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

/// \brief Where and how to send OTLP/HTTP JSON.
struct OtlpHttpOptions {
  /// Full URL of the traces endpoint, e.g. http://localhost:4318/v1/traces.
  std::string endpoint = "http://localhost:4318/v1/traces";
  /// Extra request headers (e.g. an API key for a hosted collector).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Longest time one export may take (connect included).
  std::chrono::milliseconds timeout{10000};
  /// Resource attributes sent with every batch (service.name...).
  std::vector<Attribute> resource;

  static OtlpHttpOptions Defaults() { return {}; }
};

/// \brief `url` without its user-info part ("http://user:secret@host/" becomes
/// "http://***@host/"), for log and error messages.
std::string RedactUrl(std::string_view url);

/// \brief Make an exporter POSTing OTLP/HTTP JSON with libcurl.
///
/// A batch counts as exported when the collector answers 2xx; any other answer, a
/// refused connection or a timeout fails the batch. Used from one thread at a time.
/// \return Invalid if the endpoint is not an http:// or https:// URL.
arrow::Result<std::unique_ptr<SpanExporter>> MakeOtlpHttpExporter(
    OtlpHttpOptions options);

}  // namespace quiver::telemetry
