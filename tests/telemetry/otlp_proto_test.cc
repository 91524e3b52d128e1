#include <string>

#include <gtest/gtest.h>

#include "quiver/telemetry/otlp_proto_internal.h"

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

SpanData MakeChildSpan() {
  SpanData span;
  span.context =
      *ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");
  span.parent_span_id =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01")
          ->span_id;
  span.name = "arrow.flight.protocol.FlightService/DoGet";
  span.kind = SpanKind::kServer;
  span.start_unix_nano = 1700000000123456789;
  span.end_unix_nano = 1700000000223456789;
  span.attributes = {{"rpc.system", std::string("grpc")},
                     {"quiver.rows", int64_t{9007199254740993}},
                     {"ratio", 0.25},
                     {"ok", false},
                     {"neg", int64_t{-5}}};
  span.events = {
      {"exception", 1700000000200000000, {{"exception.message", std::string("boom")}}}};
  span.status = SpanStatusCode::kError;
  span.status_message = "boom";
  return span;
}

// The bytes the official Python protobuf runtime (opentelemetry-proto 1.45.2,
// ExportTraceServiceRequest.SerializeToString) produces for the same request; the
// interop tests also decode live exports with it.
constexpr char kReferenceHex[] =
    "0ac3020a1b0a190a0c736572766963652e6e616d6512090a077175697665726412a3020a0f0a0671"
    "75697665721205302e312e30128f020a104bf92f3577b34da6a3ce929d0e0e4736120800f067aa0b"
    "a902b71a036b3d76220811111111111111112a296172726f772e666c696768742e70726f746f636f"
    "6c2e466c69676874536572766963652f446f47657430023915cd853dfe9c97174115ae7b43fe9c97"
    "174a140a0a7270632e73797374656d12060a04677270634a180a0b7175697665722e726f77731209"
    "1881808080808080104a120a05726174696f120921000000000000d03f4a080a026f6b120210004a"
    "120a036e6567120b18fbffffffffffffffff015a310900c21542fe9c97171209657863657074696f"
    "6e1a1b0a11657863657074696f6e2e6d65737361676512060a04626f6f6d7a081204626f6f6d1802"
    "850101000000";

TEST(OtlpProtoTest, MatchesTheReferenceEncoder) {
  std::vector<Attribute> resource = {{"service.name", std::string("quiverd")}};
  EXPECT_EQ(Hex(EncodeOtlpProto(resource, "quiver", "0.1.0", {MakeChildSpan()})),
            kReferenceHex);
}

TEST(OtlpProtoTest, RootSpanOmitsParentAndTraceState) {
  SpanData span = MakeChildSpan();
  span.parent_span_id = SpanId{};
  span.context.trace_state.clear();
  std::string with = EncodeOtlpProto({}, "quiver", "", {MakeChildSpan()});
  std::string without = EncodeOtlpProto({}, "quiver", "", {span});
  // parent_span_id (2 + 8 bytes) and trace_state (2 + 3 bytes) are gone.
  EXPECT_EQ(with.size() - without.size(), 15u);
  EXPECT_EQ(without.find(std::string("\x22\x08", 2)), std::string::npos);
}

}  // namespace
}  // namespace quiver::telemetry
