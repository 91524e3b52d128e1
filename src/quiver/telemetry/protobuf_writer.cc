#include <bit>
#include <cstring>

#include "quiver/telemetry/protobuf_writer_internal.h"

namespace quiver::telemetry {
namespace {

constexpr uint32_t kWireVarint = 0;
constexpr uint32_t kWireI64 = 1;
constexpr uint32_t kWireLen = 2;
constexpr uint32_t kWireI32 = 5;

/// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid
/// (overlong forms, surrogates and code points past U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t lower = 0x80, upper = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lower = 0xA0;
    if (c == 0xED) upper = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lower = 0x90;
    if (c == 0xF4) upper = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lower || byte(i + 1) > upper) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

void ProtobufWriter::String(uint32_t field, std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    size_t n = Utf8SequenceLength(value, i);
    if (n == 0) break;
    i += n;
  }
  if (i == value.size()) return Bytes(field, value);
  std::string clean(value.substr(0, i));
  while (i < value.size()) {
    size_t n = Utf8SequenceLength(value, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      clean.append(value.substr(i, n));
      i += n;
    }
  }
  Bytes(field, clean);
}

void ProtobufWriter::RawVarint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void ProtobufWriter::RawLittleEndian(uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out_.push_back(static_cast<char>(value & 0xff));
    value >>= 8;
  }
}

void ProtobufWriter::Varint(uint32_t field, uint64_t value) {
  Tag(field, kWireVarint);
  RawVarint(value);
}

void ProtobufWriter::Fixed32(uint32_t field, uint32_t value) {
  Tag(field, kWireI32);
  RawLittleEndian(value, 4);
}

void ProtobufWriter::Fixed64(uint32_t field, uint64_t value) {
  Tag(field, kWireI64);
  RawLittleEndian(value, 8);
}

void ProtobufWriter::Double(uint32_t field, double value) {
  Fixed64(field, std::bit_cast<uint64_t>(value));
}

void ProtobufWriter::Bytes(uint32_t field, std::string_view value) {
  Tag(field, kWireLen);
  RawVarint(value.size());
  out_.append(value.data(), value.size());
}

}  // namespace quiver::telemetry
