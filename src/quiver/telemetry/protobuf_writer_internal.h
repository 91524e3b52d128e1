#pragma once

/// \file
/// A minimal Protocol Buffers wire-format writer: just what OTLP export needs (varint,
/// fixed32/64, double, length-delimited fields and nested messages). Internal to
/// quiver_telemetry; see docs/operations.md for why quiver does not link libprotobuf.

#include <cstdint>
#include <string>
#include <string_view>

namespace quiver::telemetry {

/// \brief Appends fields in protobuf wire format to a string.
///
/// Field numbers are the caller's (from the .proto); nothing is validated. Proto3
/// rules are the caller's too: to omit a default-valued field, do not write it.
class ProtobufWriter {
 public:
  /// \brief Field of wire type VARINT (int32/int64/uint32/uint64/bool/enum).
  /// Negative int64 values are written as ten-byte two's complement varints.
  void Varint(uint32_t field, uint64_t value);
  /// \brief Field of wire type I32 (fixed32).
  void Fixed32(uint32_t field, uint32_t value);
  /// \brief Field of wire type I64 (fixed64, sfixed64).
  void Fixed64(uint32_t field, uint64_t value);
  /// \brief Field of wire type I64 holding an IEEE 754 double.
  void Double(uint32_t field, double value);
  /// \brief Field of wire type LEN: a string, bytes, or an already encoded message.
  void Bytes(uint32_t field, std::string_view value);
  /// \brief Field of wire type LEN holding a proto3 `string`: invalid UTF-8 sequences
  /// are replaced by U+FFFD, since decoders reject a string field that is not UTF-8.
  void String(uint32_t field, std::string_view value);
  /// \brief Field of wire type LEN holding the message `nested` has written.
  void Message(uint32_t field, const ProtobufWriter& nested) {
    Bytes(field, nested.out_);
  }

  const std::string& data() const { return out_; }
  std::string Finish() && { return std::move(out_); }

 private:
  void Tag(uint32_t field, uint32_t wire_type) { RawVarint((field << 3) | wire_type); }
  void RawVarint(uint64_t value);
  void RawLittleEndian(uint64_t value, int bytes);

  std::string out_;
};

}  // namespace quiver::telemetry
