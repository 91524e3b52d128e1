#include "quiver/telemetry/batch_span_processor.h"

#include <chrono>

#include <gtest/gtest.h>

#include "in_memory_exporter.h"

namespace quiver::telemetry {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SpanData Named(std::string name) {
  SpanData span;
  span.name = std::move(name);
  return span;
}

TEST(BatchSpanProcessorTest, ExportsEverythingOnFlush) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  BatchOptions options;
  options.max_export_batch_size = 3;
  options.schedule_delay = std::chrono::hours(1);  // only batches and flushes export
  BatchSpanProcessor processor(std::move(owned), options);
  for (int i = 0; i < 10; ++i) processor.OnEnd(Named("s" + std::to_string(i)));
  ASSERT_TRUE(processor.ForceFlush(seconds(30)));
  auto spans = exporter->spans();
  ASSERT_EQ(spans.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(spans[i].name, "s" + std::to_string(i));
  auto counts = processor.counts();
  EXPECT_EQ(counts.ended, 10u);
  EXPECT_EQ(counts.exported, 10u);
  EXPECT_EQ(counts.dropped, 0u);
}

TEST(BatchSpanProcessorTest, FullQueueDropsWithoutBlockingTheCaller) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  exporter->set_blocked(true);  // the collector hangs
  BatchOptions options;
  options.max_queue_size = 4;
  options.max_export_batch_size = 1;
  BatchSpanProcessor processor(std::move(owned), options);
  processor.OnEnd(Named("first"));
  exporter->WaitForCalls(1);  // "first" is stuck in the exporter, the queue is empty
  for (int i = 0; i < 10; ++i) processor.OnEnd(Named("queued"));  // returns at once
  auto counts = processor.counts();
  EXPECT_EQ(counts.ended, 11u);
  EXPECT_EQ(counts.dropped, 6u);  // 4 fit in the queue
  exporter->set_blocked(false);
  ASSERT_TRUE(processor.ForceFlush(seconds(30)));
  counts = processor.counts();
  EXPECT_EQ(counts.exported, 5u);
  EXPECT_EQ(counts.dropped, 6u);
}

TEST(BatchSpanProcessorTest, FailedExportsAreCountedAsDropped) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  exporter->set_fail(true);
  BatchSpanProcessor processor(std::move(owned), BatchOptions::Defaults());
  for (int i = 0; i < 7; ++i) processor.OnEnd(Named("lost"));
  ASSERT_TRUE(processor.ForceFlush(seconds(30)));
  auto counts = processor.counts();
  EXPECT_EQ(counts.exported, 0u);
  EXPECT_EQ(counts.dropped, 7u);
  exporter->set_fail(false);
  processor.OnEnd(Named("kept"));
  ASSERT_TRUE(processor.ForceFlush(seconds(30)));
  EXPECT_EQ(processor.counts().exported, 1u);
}

TEST(BatchSpanProcessorTest, ScheduleDelayExportsWithoutAFlush) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  BatchOptions options;
  options.schedule_delay = milliseconds(10);
  BatchSpanProcessor processor(std::move(owned), options);
  processor.OnEnd(Named("timed"));
  exporter->WaitForCalls(1);  // hangs (test timeout) if the timer never fires
  processor.Shutdown();
  EXPECT_EQ(exporter->spans().size(), 1u);
}

TEST(BatchSpanProcessorTest, ShutdownExportsWhatIsLeftThenDrops) {
  auto owned = std::make_unique<testing::InMemoryExporter>();
  auto* exporter = owned.get();
  BatchOptions options;
  options.schedule_delay = std::chrono::hours(1);
  BatchSpanProcessor processor(std::move(owned), options);
  processor.OnEnd(Named("left"));
  processor.Shutdown();
  processor.Shutdown();  // idempotent
  EXPECT_EQ(exporter->spans().size(), 1u);
  processor.OnEnd(Named("late"));
  EXPECT_EQ(processor.counts().dropped, 1u);
}

}  // namespace
}  // namespace quiver::telemetry
