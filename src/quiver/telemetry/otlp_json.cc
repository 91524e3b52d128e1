#include <nlohmann/json.hpp>

#include "quiver/telemetry/otlp_json_internal.h"

namespace quiver::telemetry {
namespace {

using nlohmann::json;

json EncodeValue(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return {{"boolValue", v}};
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return {{"intValue", std::to_string(v)}};
        } else if constexpr (std::is_same_v<T, double>) {
          return {{"doubleValue", v}};
        } else {
          return {{"stringValue", v}};
        }
      },
      value);
}

json EncodeAttributes(const std::vector<Attribute>& attributes) {
  json out = json::array();
  for (const auto& attribute : attributes) {
    out.push_back({{"key", attribute.key}, {"value", EncodeValue(attribute.value)}});
  }
  return out;
}

json EncodeSpan(const SpanData& span) {
  json out = {
      {"traceId", span.context.trace_id.ToHex()},
      {"spanId", span.context.span_id.ToHex()},
      {"name", span.name},
      {"kind", static_cast<int>(span.kind)},
      {"startTimeUnixNano", std::to_string(span.start_unix_nano)},
      {"endTimeUnixNano", std::to_string(span.end_unix_nano)},
      {"attributes", EncodeAttributes(span.attributes)},
      {"flags", span.context.trace_flags},
  };
  if (span.parent_span_id.IsValid()) out["parentSpanId"] = span.parent_span_id.ToHex();
  if (!span.context.trace_state.empty()) out["traceState"] = span.context.trace_state;
  if (!span.events.empty()) {
    json events = json::array();
    for (const auto& event : span.events) {
      events.push_back({{"timeUnixNano", std::to_string(event.time_unix_nano)},
                        {"name", event.name},
                        {"attributes", EncodeAttributes(event.attributes)}});
    }
    out["events"] = std::move(events);
  }
  json status = {{"code", static_cast<int>(span.status)}};
  if (!span.status_message.empty()) status["message"] = span.status_message;
  out["status"] = std::move(status);
  return out;
}

}  // namespace

std::string EncodeOtlpJson(const std::vector<Attribute>& resource,
                           std::string_view scope_name, std::string_view scope_version,
                           const std::vector<SpanData>& spans) {
  json encoded_spans = json::array();
  for (const auto& span : spans) encoded_spans.push_back(EncodeSpan(span));
  json request = {
      {"resourceSpans",
       json::array({{
           {"resource", {{"attributes", EncodeAttributes(resource)}}},
           {"scopeSpans",
            json::array({{
                {"scope", {{"name", scope_name}, {"version", scope_version}}},
                {"spans", std::move(encoded_spans)},
            }})},
       }})},
  };
  // Invalid UTF-8 (e.g. from a client-supplied name) is replaced, never thrown on.
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace quiver::telemetry
