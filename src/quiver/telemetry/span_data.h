#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "quiver/telemetry/trace_context.h"

namespace quiver::telemetry {

/// \brief An attribute value: OpenTelemetry's scalar kinds.
using AttributeValue = std::variant<bool, int64_t, double, std::string>;

/// \brief One key/value attribute of a span, an event or a resource.
struct Attribute {
  std::string key;
  AttributeValue value;
};

/// \brief Span kinds, numbered as in OTLP.
enum class SpanKind : int { kInternal = 1, kServer = 2, kClient = 3 };

/// \brief Span status codes, numbered as in OTLP.
enum class SpanStatusCode : int { kUnset = 0, kOk = 1, kError = 2 };

/// \brief Something that happened at a point in time during a span.
struct SpanEvent {
  std::string name;
  int64_t time_unix_nano = 0;
  std::vector<Attribute> attributes;
};

/// \brief Everything recorded about one finished span, ready to export.
struct SpanData {
  SpanContext context;
  /// Invalid (all zero) for a root span.
  SpanId parent_span_id;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  int64_t start_unix_nano = 0;
  int64_t end_unix_nano = 0;
  std::vector<Attribute> attributes;
  std::vector<SpanEvent> events;
  SpanStatusCode status = SpanStatusCode::kUnset;
  std::string status_message;
};

/// \brief Nanoseconds since the Unix epoch, from the system clock.
int64_t NowUnixNano();

}  // namespace quiver::telemetry
