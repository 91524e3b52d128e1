#include <string>

#include <gtest/gtest.h>

#include "quiver/telemetry/protobuf_writer_internal.h"

namespace quiver::telemetry {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Expected bytes from the protobuf encoding guide's examples.
TEST(ProtobufWriterTest, Varints) {
  ProtobufWriter w;
  w.Varint(1, 150);
  EXPECT_EQ(Hex(w.data()), "089601");
  ProtobufWriter zero;
  zero.Varint(2, 0);
  EXPECT_EQ(Hex(zero.data()), "1000");
  ProtobufWriter negative;  // int64 -1: ten bytes
  negative.Varint(3, static_cast<uint64_t>(int64_t{-1}));
  EXPECT_EQ(Hex(negative.data()), "18ffffffffffffffffff01");
  ProtobufWriter max;
  max.Varint(1, UINT64_MAX);
  EXPECT_EQ(Hex(max.data()), "08ffffffffffffffffff01");
}

TEST(ProtobufWriterTest, FieldNumbersPast15TakeTwoTagBytes) {
  ProtobufWriter w;
  w.Fixed32(16, 1);
  EXPECT_EQ(Hex(w.data()), "850101000000");
}

TEST(ProtobufWriterTest, FixedAndDouble) {
  ProtobufWriter w;
  w.Fixed64(7, 0x0102030405060708ULL);
  w.Double(4, 0.25);
  EXPECT_EQ(Hex(w.data()),
            "390807060504030201"
            "21000000000000d03f");
}

TEST(ProtobufWriterTest, LengthDelimitedAndNested) {
  ProtobufWriter w;
  w.Bytes(2, "testing");
  EXPECT_EQ(Hex(w.data()), "120774657374696e67");
  ProtobufWriter inner;
  inner.Varint(1, 150);
  ProtobufWriter outer;
  outer.Message(3, inner);
  EXPECT_EQ(Hex(outer.data()), "1a03089601");
  ProtobufWriter empty;
  ProtobufWriter holder;
  holder.Message(15, empty);
  EXPECT_EQ(Hex(holder.data()), "7a00");
  // A 300-byte value has a two-byte length.
  ProtobufWriter long_value;
  long_value.Bytes(1, std::string(300, 'x'));
  EXPECT_EQ(Hex(long_value.data().substr(0, 3)), "0aac02");
  EXPECT_EQ(long_value.data().size(), 303u);
}

TEST(ProtobufWriterTest, StringsAreMadeValidUtf8) {
  ProtobufWriter valid;
  valid.String(1, "h\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");  // é € 😀 kept
  EXPECT_EQ(valid.data().substr(2), "h\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  ProtobufWriter invalid;
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
  invalid.String(1,
                 "a\x80"
                 "b\xE2\x82"
                 "c\xC0\xAF"
                 "d\xED\xA0\x80");
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(invalid.data().substr(2),
            "a" + r + "b" + r + r + "c" + r + r + "d" + r + r + r);
}

}  // namespace
}  // namespace quiver::telemetry
