#pragma once

/// \file
/// W3C Trace Context (https://www.w3.org/TR/trace-context/): the identifiers of a span
/// and the `traceparent` / `tracestate` headers that carry them between processes.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver::telemetry {

/// Header names, lower case as HTTP/2 (gRPC) metadata requires.
inline constexpr char kTraceparentHeader[] = "traceparent";
inline constexpr char kTracestateHeader[] = "tracestate";

/// \brief A 16-byte trace id; valid when not all zero.
struct TraceId {
  std::array<uint8_t, 16> bytes{};

  bool IsValid() const;
  /// \brief 32 lower-case hex digits.
  std::string ToHex() const;
  bool operator==(const TraceId&) const = default;
};

/// \brief An 8-byte span id; valid when not all zero.
struct SpanId {
  std::array<uint8_t, 8> bytes{};

  bool IsValid() const;
  /// \brief 16 lower-case hex digits.
  std::string ToHex() const;
  bool operator==(const SpanId&) const = default;
};

/// \brief What identifies a span across process boundaries.
struct SpanContext {
  TraceId trace_id;
  SpanId span_id;
  /// W3C trace-flags; bit 0 is "sampled".
  uint8_t trace_flags = 0;
  /// The vendor `tracestate` list, passed on unchanged (empty when absent or invalid).
  std::string trace_state;
  /// Whether the context was received from another process.
  bool is_remote = false;

  static constexpr uint8_t kSampledFlag = 0x01;

  bool IsValid() const { return trace_id.IsValid() && span_id.IsValid(); }
  bool sampled() const { return (trace_flags & kSampledFlag) != 0; }
};

/// \brief Parse a `traceparent` header, and with it the optional `tracestate` header.
///
/// Follows the W3C rules: version 00 has exactly four fields; a higher version may carry
/// more fields after a '-', which are ignored; version ff, upper-case hex, all-zero
/// trace or span ids are rejected. An invalid `tracestate` is dropped (the traceparent
/// is still used), as the specification requires.
/// \return Invalid when the traceparent cannot be used; the caller then starts a new
/// trace.
arrow::Result<SpanContext> ParseTraceparent(std::string_view traceparent,
                                            std::string_view tracestate = {});

/// \brief Format `context` as a version-00 `traceparent` value.
/// REQUIRES: context.IsValid().
std::string FormatTraceparent(const SpanContext& context);

/// \brief Whether `tracestate` is a valid W3C tracestate list (at most 32 members of
/// `key=value`, keys and values as the specification restricts them).
bool IsValidTracestate(std::string_view tracestate);

/// \brief New random ids (never all zero). Thread-safe.
TraceId GenerateTraceId();
SpanId GenerateSpanId();

}  // namespace quiver::telemetry
