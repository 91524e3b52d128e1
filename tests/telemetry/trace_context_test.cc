#include "quiver/telemetry/trace_context.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace quiver::telemetry {
namespace {

constexpr char kValid[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceparentTest, ParsesTheSpecificationExample) {
  auto context = ParseTraceparent(kValid);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_EQ(context->trace_id.ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id.ToHex(), "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled());
  EXPECT_TRUE(context->is_remote);
  EXPECT_TRUE(context->trace_state.empty());
}

TEST(TraceparentTest, FormatRoundTrips) {
  auto context = ParseTraceparent(kValid);
  ASSERT_TRUE(context.ok());
  EXPECT_EQ(FormatTraceparent(*context), kValid);
  context->trace_flags = 0;
  EXPECT_EQ(FormatTraceparent(*context),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(TraceparentTest, UnsampledFlag) {
  auto context =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(context.ok());
  EXPECT_FALSE(context->sampled());
}

TEST(TraceparentTest, RejectsMalformedHeaders) {
  const char* bad[] = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // upper case
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version ff
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero span id
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // delimiter
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",  // v00 + extra
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",     // not hex
      "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version
  };
  for (const char* header : bad) {
    EXPECT_FALSE(ParseTraceparent(header).ok()) << header;
  }
}

TEST(TraceparentTest, FutureVersionsMayAppendFields) {
  auto context =
      ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  ASSERT_TRUE(context.ok());
  EXPECT_EQ(context->span_id.ToHex(), "00f067aa0ba902b7");
  EXPECT_FALSE(
      ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x").ok());
}

TEST(TracestateTest, KeptWhenValidDroppedWhenNot) {
  auto kept = ParseTraceparent(kValid, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->trace_state, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

  auto dropped = ParseTraceparent(kValid, "Rojo=upper-case-key");
  ASSERT_TRUE(dropped.ok()) << "an invalid tracestate must not discard the traceparent";
  EXPECT_TRUE(dropped->trace_state.empty());
}

TEST(TracestateTest, Validation) {
  EXPECT_TRUE(IsValidTracestate("a=1"));
  EXPECT_TRUE(IsValidTracestate("tenant@system=v, b=2 ,,"));
  EXPECT_TRUE(IsValidTracestate("a-b_c*d/e=x y"));
  EXPECT_FALSE(IsValidTracestate("a"));
  EXPECT_FALSE(IsValidTracestate("1a=x"));   // simple keys start with a letter
  EXPECT_FALSE(IsValidTracestate("a=x,b"));  // member without '='
  EXPECT_TRUE(IsValidTracestate("a=x y "));  // spaces around a member are OWS
  EXPECT_FALSE(IsValidTracestate("a="));     // a value has at least one character
  EXPECT_FALSE(IsValidTracestate("a=b=c"));
  std::string many;
  for (int i = 0; i < 33; ++i) many += "k" + std::to_string(i) + "=v,";
  EXPECT_FALSE(IsValidTracestate(many));
}

TEST(IdsTest, GeneratedIdsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    TraceId trace_id = GenerateTraceId();
    SpanId span_id = GenerateSpanId();
    ASSERT_TRUE(trace_id.IsValid());
    ASSERT_TRUE(span_id.IsValid());
    seen.insert(trace_id.ToHex());
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace quiver::telemetry
