#include "quiver/telemetry/otlp_proto_internal.h"
#include "quiver/telemetry/protobuf_writer_internal.h"

namespace quiver::telemetry {
namespace {

// Field numbers from opentelemetry-proto v1 (common.proto, resource.proto, trace.proto,
// trace_service.proto).
namespace request {
constexpr uint32_t kResourceSpans = 1;
}
namespace resource_spans {
constexpr uint32_t kResource = 1, kScopeSpans = 2;
}
namespace resource {
constexpr uint32_t kAttributes = 1;
}
namespace scope_spans {
constexpr uint32_t kScope = 1, kSpans = 2;
}
namespace scope {
constexpr uint32_t kName = 1, kVersion = 2;
}
namespace span {
constexpr uint32_t kTraceId = 1, kSpanId = 2, kTraceState = 3, kParentSpanId = 4,
                   kName = 5, kKind = 6, kStartTime = 7, kEndTime = 8, kAttributes = 9,
                   kEvents = 11, kStatus = 15, kFlags = 16;
}
namespace event {
constexpr uint32_t kTime = 1, kName = 2, kAttributes = 3;
}
namespace status {
constexpr uint32_t kMessage = 2, kCode = 3;
}
namespace key_value {
constexpr uint32_t kKey = 1, kValue = 2;
}
namespace any_value {
constexpr uint32_t kString = 1, kBool = 2, kInt = 3, kDouble = 4;
}

// Span.flags: the W3C trace flags in bits 0-7; bits 8 and 9 say whether the parent is
// known to be remote (SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK, _IS_REMOTE_MASK). quiver
// does not record that, so only the trace flags are sent.

template <size_t N>
std::string_view AsBytes(const std::array<uint8_t, N>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), N};
}

ProtobufWriter EncodeValue(const AttributeValue& value) {
  ProtobufWriter out;
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        // A oneof member is always written, even at its default value.
        if constexpr (std::is_same_v<T, bool>) {
          out.Varint(any_value::kBool, v ? 1 : 0);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out.Varint(any_value::kInt, static_cast<uint64_t>(v));
        } else if constexpr (std::is_same_v<T, double>) {
          out.Double(any_value::kDouble, v);
        } else {
          out.String(any_value::kString, v);
        }
      },
      value);
  return out;
}

void EncodeAttributes(ProtobufWriter& out, uint32_t field,
                      const std::vector<Attribute>& attributes) {
  for (const auto& attribute : attributes) {
    ProtobufWriter kv;
    if (!attribute.key.empty()) kv.String(key_value::kKey, attribute.key);
    kv.Message(key_value::kValue, EncodeValue(attribute.value));
    out.Message(field, kv);
  }
}

ProtobufWriter EncodeSpan(const SpanData& data) {
  ProtobufWriter out;
  out.Bytes(span::kTraceId, AsBytes(data.context.trace_id.bytes));
  out.Bytes(span::kSpanId, AsBytes(data.context.span_id.bytes));
  if (!data.context.trace_state.empty()) {
    out.String(span::kTraceState, data.context.trace_state);
  }
  if (data.parent_span_id.IsValid()) {
    out.Bytes(span::kParentSpanId, AsBytes(data.parent_span_id.bytes));
  }
  if (!data.name.empty()) out.String(span::kName, data.name);
  out.Varint(span::kKind, static_cast<uint64_t>(data.kind));
  out.Fixed64(span::kStartTime, static_cast<uint64_t>(data.start_unix_nano));
  out.Fixed64(span::kEndTime, static_cast<uint64_t>(data.end_unix_nano));
  EncodeAttributes(out, span::kAttributes, data.attributes);
  for (const auto& event : data.events) {
    ProtobufWriter e;
    e.Fixed64(event::kTime, static_cast<uint64_t>(event.time_unix_nano));
    if (!event.name.empty()) e.String(event::kName, event.name);
    EncodeAttributes(e, event::kAttributes, event.attributes);
    out.Message(span::kEvents, e);
  }
  ProtobufWriter status;
  if (!data.status_message.empty()) status.String(status::kMessage, data.status_message);
  if (data.status != SpanStatusCode::kUnset) {
    status.Varint(status::kCode, static_cast<uint64_t>(data.status));
  }
  out.Message(span::kStatus, status);
  if (data.context.trace_flags != 0) out.Fixed32(span::kFlags, data.context.trace_flags);
  return out;
}

}  // namespace

std::string EncodeOtlpProto(const std::vector<Attribute>& resource,
                            std::string_view scope_name, std::string_view scope_version,
                            const std::vector<SpanData>& spans) {
  ProtobufWriter resource_message;
  EncodeAttributes(resource_message, resource::kAttributes, resource);

  ProtobufWriter scope_message;
  if (!scope_name.empty()) scope_message.String(scope::kName, scope_name);
  if (!scope_version.empty()) scope_message.String(scope::kVersion, scope_version);

  ProtobufWriter scope_spans_message;
  scope_spans_message.Message(scope_spans::kScope, scope_message);
  for (const auto& span : spans) {
    scope_spans_message.Message(scope_spans::kSpans, EncodeSpan(span));
  }

  ProtobufWriter resource_spans_message;
  resource_spans_message.Message(resource_spans::kResource, resource_message);
  resource_spans_message.Message(resource_spans::kScopeSpans, scope_spans_message);

  ProtobufWriter request_message;
  request_message.Message(request::kResourceSpans, resource_spans_message);
  return std::move(request_message).Finish();
}

}  // namespace quiver::telemetry
