#include "quiver/telemetry/sampler.h"

#include <gtest/gtest.h>

namespace quiver::telemetry {
namespace {

TraceId TraceIdFromHex(const char* hex) {
  std::string traceparent = std::string("00-") + hex + "-00f067aa0ba902b7-01";
  return ParseTraceparent(traceparent)->trace_id;
}

SpanContext Parent(bool sampled) {
  return *ParseTraceparent(std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-") +
                           "00f067aa0ba902b7-0" + (sampled ? "1" : "0"));
}

TEST(SamplerTest, ParsesEveryStandardName) {
  auto on = ParseSampler("always_on", "");
  ASSERT_TRUE(on.ok());
  EXPECT_FALSE(on->parent_based);
  EXPECT_EQ(on->root, SamplerOptions::Root::kAlwaysOn);
  auto off = ParseSampler("parentbased_always_off", "");
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->parent_based);
  EXPECT_EQ(off->root, SamplerOptions::Root::kAlwaysOff);
  auto ratio = ParseSampler("parentbased_traceidratio", "0.25");
  ASSERT_TRUE(ratio.ok());
  EXPECT_EQ(ratio->root, SamplerOptions::Root::kTraceIdRatio);
  EXPECT_DOUBLE_EQ(ratio->ratio, 0.25);
  EXPECT_DOUBLE_EQ(ParseSampler("traceidratio", "")->ratio, 1.0);
  EXPECT_TRUE(ParseSampler("always_off", "not a ratio").ok());  // arg ignored

  EXPECT_TRUE(ParseSampler("jaeger_remote", "").status().IsInvalid());
  EXPECT_TRUE(ParseSampler("traceidratio", "1.5").status().IsInvalid());
  EXPECT_TRUE(ParseSampler("traceidratio", "-0.1").status().IsInvalid());
  auto bad = ParseSampler("traceidratio", "half");
  EXPECT_NE(bad.status().message().find("OTEL_TRACES_SAMPLER_ARG"), std::string::npos);
}

TEST(SamplerTest, ParentBasedFollowsTheParent) {
  auto options = *ParseSampler("parentbased_always_off", "");
  TraceId id = GenerateTraceId();
  EXPECT_FALSE(ShouldSample(options, {}, id));           // root: always_off
  EXPECT_TRUE(ShouldSample(options, Parent(true), id));  // sampled parent
  EXPECT_FALSE(ShouldSample(options, Parent(false), id));
  auto on = SamplerOptions::Defaults();
  EXPECT_TRUE(ShouldSample(on, {}, id));
  EXPECT_FALSE(ShouldSample(on, Parent(false), id));
}

TEST(SamplerTest, NonParentBasedIgnoresTheParent) {
  auto on = *ParseSampler("always_on", "");
  EXPECT_TRUE(ShouldSample(on, Parent(false), GenerateTraceId()));
  auto off = *ParseSampler("always_off", "");
  EXPECT_FALSE(ShouldSample(off, Parent(true), GenerateTraceId()));
}

TEST(SamplerTest, RatioDecidesOnTheLow64BitsOfTheTraceId) {
  auto half = *ParseSampler("traceidratio", "0.5");
  // Low 64 bits 0x7fff... < 2^63 (kept); 0x8000... is not.
  EXPECT_TRUE(ShouldSample(half, {}, TraceIdFromHex("ffffffffffffffff7fffffffffffffff")));
  EXPECT_FALSE(
      ShouldSample(half, {}, TraceIdFromHex("00000000000000008000000000000000")));
  auto none = *ParseSampler("traceidratio", "0");
  EXPECT_FALSE(
      ShouldSample(none, {}, TraceIdFromHex("00000000000000000000000000000001")));
  auto all = *ParseSampler("traceidratio", "1");
  EXPECT_TRUE(ShouldSample(all, {}, TraceIdFromHex("ffffffffffffffffffffffffffffffff")));

  auto quarter = *ParseSampler("traceidratio", "0.25");
  int kept = 0;
  for (int i = 0; i < 20000; ++i) kept += ShouldSample(quarter, {}, GenerateTraceId());
  EXPECT_GT(kept, 4500);
  EXPECT_LT(kept, 5500);
}

}  // namespace
}  // namespace quiver::telemetry
