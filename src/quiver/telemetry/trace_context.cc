#include "quiver/telemetry/trace_context.h"

#include <algorithm>
#include <cstdint>

#include "quiver/common/thread_random.h"

namespace quiver::telemetry {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/// Decode exactly `out.size() * 2` lower-case hex digits.
template <size_t N>
bool DecodeHex(std::string_view text, std::array<uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = LowerHexValue(text[2 * i]);
    int lo = LowerHexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
std::string EncodeHex(const std::array<uint8_t, N>& bytes) {
  std::string out(2 * N, '0');
  for (size_t i = 0; i < N; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
  }
  return out;
}

template <size_t N>
bool AllZero(const std::array<uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

template <size_t N>
void FillRandom(std::array<uint8_t, N>& bytes) {
  do {
    for (size_t i = 0; i < N; i += 8) {
      uint64_t value = ThreadRandom64();
      for (size_t j = 0; j < 8 && i + j < N; ++j) {
        bytes[i + j] = static_cast<uint8_t>(value >> (8 * j));
      }
    }
  } while (AllZero(bytes));
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '*' || c == '/';
}

bool IsValidKey(std::string_view key) {
  // simple-key = lcalpha 0*255(keychar); multi-tenant-key = tenant-id "@" system-id
  // with tenant-id = (lcalpha / DIGIT) 0*240(keychar), system-id = lcalpha 0*13(keychar)
  auto at = key.find('@');
  auto chars_ok = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), IsKeyChar);
  };
  if (at == std::string_view::npos) {
    return !key.empty() && key.size() <= 256 && key[0] >= 'a' && key[0] <= 'z' &&
           chars_ok(key);
  }
  std::string_view tenant = key.substr(0, at), system = key.substr(at + 1);
  return !tenant.empty() && tenant.size() <= 241 && chars_ok(tenant) &&
         ((tenant[0] >= 'a' && tenant[0] <= 'z') ||
          (tenant[0] >= '0' && tenant[0] <= '9')) &&
         !system.empty() && system.size() <= 14 && system[0] >= 'a' && system[0] <= 'z' &&
         chars_ok(system);
}

bool IsValidValue(std::string_view value) {
  // value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr;
  // nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
  if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return c >= 0x20 && c <= 0x7e && c != ',' && c != '=';
  });
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

bool TraceId::IsValid() const { return !AllZero(bytes); }
std::string TraceId::ToHex() const { return EncodeHex(bytes); }
bool SpanId::IsValid() const { return !AllZero(bytes); }
std::string SpanId::ToHex() const { return EncodeHex(bytes); }

bool IsValidTracestate(std::string_view tracestate) {
  size_t members = 0;
  while (true) {
    auto comma = tracestate.find(',');
    std::string_view member = TrimOws(tracestate.substr(0, comma));
    if (!member.empty()) {
      auto eq = member.find('=');
      if (eq == std::string_view::npos || !IsValidKey(member.substr(0, eq)) ||
          !IsValidValue(member.substr(eq + 1))) {
        return false;
      }
      if (++members > 32) return false;
    }
    if (comma == std::string_view::npos) break;
    tracestate.remove_prefix(comma + 1);
  }
  return true;
}

arrow::Result<SpanContext> ParseTraceparent(std::string_view traceparent,
                                            std::string_view tracestate) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2+1+32+1+16+1+2 = 55 chars.
  constexpr size_t kLength = 55;
  auto invalid = [] { return arrow::Status::Invalid("malformed traceparent header"); };
  traceparent = TrimOws(traceparent);
  if (traceparent.size() < kLength) return invalid();
  std::array<uint8_t, 1> version{};
  if (!DecodeHex(traceparent.substr(0, 2), version) || version[0] == 0xff) {
    return invalid();
  }
  if (version[0] == 0 && traceparent.size() != kLength) return invalid();
  // Later versions may append fields, always after a '-'.
  if (traceparent.size() > kLength && traceparent[kLength] != '-') return invalid();
  if (traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-') {
    return invalid();
  }
  SpanContext context;
  std::array<uint8_t, 1> flags{};
  if (!DecodeHex(traceparent.substr(3, 32), context.trace_id.bytes) ||
      !DecodeHex(traceparent.substr(36, 16), context.span_id.bytes) ||
      !DecodeHex(traceparent.substr(53, 2), flags)) {
    return invalid();
  }
  if (!context.IsValid()) return invalid();
  context.trace_flags = flags[0];
  context.is_remote = true;
  tracestate = TrimOws(tracestate);
  if (!tracestate.empty() && IsValidTracestate(tracestate)) {
    context.trace_state = std::string(tracestate);
  }
  return context;
}

std::string FormatTraceparent(const SpanContext& context) {
  std::string out = "00-";
  out += context.trace_id.ToHex();
  out += '-';
  out += context.span_id.ToHex();
  out += '-';
  out += kHexDigits[context.trace_flags >> 4];
  out += kHexDigits[context.trace_flags & 0x0f];
  return out;
}

TraceId GenerateTraceId() {
  TraceId id;
  FillRandom(id.bytes);
  return id;
}

SpanId GenerateSpanId() {
  SpanId id;
  FillRandom(id.bytes);
  return id;
}

}  // namespace quiver::telemetry
