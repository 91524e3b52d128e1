#include "quiver/telemetry/tracer.h"

#include <chrono>
#include <variant>

#include <gtest/gtest.h>

#include "quiver/telemetry/active_span.h"

#include "in_memory_exporter.h"

namespace quiver::telemetry {
namespace {

using std::chrono::seconds;

struct TracerFixture : ::testing::Test {
  void SetUp() override {
    auto owned = std::make_unique<testing::InMemoryExporter>();
    exporter = owned.get();
    tracer = Tracer::Make(std::move(owned));
  }
  std::vector<SpanData> Flushed() {
    EXPECT_TRUE(tracer->ForceFlush(seconds(30)));
    return exporter->spans();
  }

  testing::InMemoryExporter* exporter = nullptr;
  std::shared_ptr<Tracer> tracer;
};

const AttributeValue* Find(const SpanData& span, std::string_view key) {
  for (const auto& attribute : span.attributes) {
    if (attribute.key == key) return &attribute.value;
  }
  return nullptr;
}

TEST_F(TracerFixture, RootSpanRecordsNameKindTimesAndAttributes) {
  {
    Span span = tracer->StartSpan("root", SpanKind::kServer);
    ASSERT_TRUE(span.recording());
    EXPECT_TRUE(span.context().IsValid());
    EXPECT_TRUE(span.context().sampled());
    span.SetAttribute("text", "value");
    span.SetAttribute("count", int64_t{3});
    span.SetAttribute("count", 4);  // replaces
    span.SetAttribute("ratio", 0.5);
    span.SetAttribute("flag", true);
  }  // ends on destruction
  auto spans = Flushed();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& span = spans[0];
  EXPECT_EQ(span.name, "root");
  EXPECT_EQ(span.kind, SpanKind::kServer);
  EXPECT_FALSE(span.parent_span_id.IsValid());
  EXPECT_LE(span.start_unix_nano, span.end_unix_nano);
  EXPECT_EQ(span.attributes.size(), 4u);
  EXPECT_EQ(std::get<std::string>(*Find(span, "text")), "value");
  EXPECT_EQ(std::get<int64_t>(*Find(span, "count")), 4);
  EXPECT_EQ(std::get<double>(*Find(span, "ratio")), 0.5);
  EXPECT_EQ(std::get<bool>(*Find(span, "flag")), true);
}

TEST_F(TracerFixture, ChildOfRemoteParentKeepsTraceIdAndState) {
  auto parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");
  ASSERT_TRUE(parent.ok());
  Span span = tracer->StartSpan("child", SpanKind::kServer, *parent);
  EXPECT_EQ(span.context().trace_id, parent->trace_id);
  EXPECT_NE(span.context().span_id, parent->span_id);
  EXPECT_EQ(span.context().trace_state, "k=v");
  span.End();
  span.End();  // idempotent
  auto spans = Flushed();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].parent_span_id, parent->span_id);
}

TEST_F(TracerFixture, UnsampledParentIsPropagatedNotRecorded) {
  auto parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(parent.ok());
  Span span = tracer->StartSpan("child", SpanKind::kServer, *parent);
  EXPECT_FALSE(span.recording());
  EXPECT_EQ(span.context().trace_id, parent->trace_id);
  span.SetAttribute("ignored", 1);
  span.End();
  EXPECT_TRUE(Flushed().empty());
  EXPECT_EQ(tracer->counts().ended, 0u);
}

TEST_F(TracerFixture, ErrorsBecomeStatusAndEvent) {
  {
    Span span = tracer->StartSpan("failing");
    span.RecordError(arrow::Status::OK());  // no-op
    span.RecordError(arrow::Status::KeyError("dataset 'x' not found"));
  }
  {
    Span span = tracer->StartSpan("ok-is-final");
    span.SetStatus(SpanStatusCode::kOk, "ignored description");
    span.SetStatus(SpanStatusCode::kError, "too late");
  }
  auto spans = Flushed();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].status, SpanStatusCode::kError);
  EXPECT_NE(spans[0].status_message.find("not found"), std::string::npos);
  ASSERT_EQ(spans[0].events.size(), 1u);
  EXPECT_EQ(spans[0].events[0].name, "exception");
  EXPECT_EQ(spans[1].status, SpanStatusCode::kOk);
  EXPECT_TRUE(spans[1].status_message.empty());
}

TEST_F(TracerFixture, ActiveSpanParentsStartSpanAndNests) {
  SpanId outer_id, inner_id;
  TraceId trace_id;
  {
    Span outer = tracer->StartSpan("outer", SpanKind::kServer);
    outer_id = outer.context().span_id;
    trace_id = outer.context().trace_id;
    ScopedActiveSpan active(outer);
    EXPECT_EQ(ActiveTracer(), tracer);
    {
      Span inner = StartSpan("inner");
      inner_id = inner.context().span_id;
      ScopedActiveSpan nested(inner);
      Span leaf = StartSpan("leaf");
    }
    EXPECT_EQ(ActiveSpanContext().span_id, outer_id);  // restored
    Span sibling = StartSpan("sibling");
  }
  EXPECT_FALSE(ActiveSpanContext().IsValid());
  EXPECT_EQ(ActiveTracer(), nullptr);
  EXPECT_FALSE(StartSpan("outside").recording());

  auto spans = Flushed();
  ASSERT_EQ(spans.size(), 4u);
  std::map<std::string, SpanData> by_name;
  for (auto& span : spans) by_name[span.name] = span;
  EXPECT_EQ(by_name["inner"].parent_span_id, outer_id);
  EXPECT_EQ(by_name["leaf"].parent_span_id, inner_id);
  EXPECT_EQ(by_name["sibling"].parent_span_id, outer_id);
  for (auto& [name, span] : by_name) EXPECT_EQ(span.context.trace_id, trace_id) << name;
}

TEST(NonRecordingSpanTest, ActivatingItPropagatesItsContextOnly) {
  auto parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(parent.ok());
  Span span = Span::NonRecording(*parent);
  ScopedActiveSpan active(span);
  EXPECT_EQ(ActiveSpanContext().trace_id, parent->trace_id);
  EXPECT_FALSE(StartSpan("child").recording());
}

TEST(TracerSamplerTest, UnsampledRootPropagatesAFreshContextWithoutRecording) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  auto tracer = Tracer::Make(std::move(owned), BatchOptions::Defaults(),
                             *ParseSampler("parentbased_always_off", ""));
  {
    Span root = tracer->StartSpan("root", SpanKind::kServer);
    EXPECT_FALSE(root.recording());
    EXPECT_TRUE(root.context().IsValid());
    EXPECT_FALSE(root.context().sampled());
    // A sampled remote parent is still followed.
    auto parent =
        ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    Span child = tracer->StartSpan("child", SpanKind::kServer, *parent);
    EXPECT_TRUE(child.recording());
  }
  ASSERT_TRUE(tracer->ForceFlush(seconds(30)));
  auto spans = exporter->spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "child");
}

TEST(TracerSamplerTest, AlwaysOnRecordsUnderAnUnsampledParent) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto tracer = Tracer::Make(std::move(owned), BatchOptions::Defaults(),
                             *ParseSampler("always_on", ""));
  auto parent =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  Span span = tracer->StartSpan("s", SpanKind::kServer, *parent);
  EXPECT_TRUE(span.recording());
  EXPECT_EQ(span.context().trace_id, parent->trace_id);
  EXPECT_TRUE(span.context().sampled());
}

}  // namespace
}  // namespace quiver::telemetry
