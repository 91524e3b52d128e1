#include "quiver/store/parquet/background_writer.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "testing/data.h"

namespace quiver::store {
namespace {

TEST(BackgroundWriterTest, FinishDrainsEveryBatchInOrder) {
  std::vector<int64_t> seen;  // only touched by the consumer thread until Finish()
  BackgroundWriter writer(
      [&](const std::shared_ptr<arrow::RecordBatch>& batch) {
        seen.push_back(batch->num_rows());
        return arrow::Status::OK();
      },
      2);
  for (int i = 1; i <= 50; ++i) ASSERT_TRUE(writer.Push(testing::IntBatch(i)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  ASSERT_EQ(seen.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[i], i + 1);
  EXPECT_TRUE(writer.Finish().ok());  // idempotent
}

TEST(BackgroundWriterTest, FirstErrorStopsTheConsumerAndReachesTheProducer) {
  std::atomic<int> calls{0};
  BackgroundWriter writer(
      [&](const std::shared_ptr<arrow::RecordBatch>&) {
        return ++calls == 3 ? arrow::Status::IOError("disk full") : arrow::Status::OK();
      },
      1);
  arrow::Status st;
  for (int i = 0; i < 100 && st.ok(); ++i) st = writer.Push(testing::IntBatch(1));
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_TRUE(writer.Finish().IsIOError());
  EXPECT_EQ(calls.load(), 3);
}

TEST(BackgroundWriterTest, QueueIsBoundedAndCancelDropsTheRest) {
  std::atomic<bool> release{false};
  std::atomic<int> consumed{0};
  BackgroundWriter writer(
      [&](const std::shared_ptr<arrow::RecordBatch>&) {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++consumed;
        return arrow::Status::OK();
      },
      2);
  // One batch in the consumer's hands, two queued: a fourth Push would block.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(writer.Push(testing::IntBatch(1)).ok());
  std::atomic<bool> fourth_done{false};
  std::thread producer([&] {
    (void)writer.Push(testing::IntBatch(1));
    fourth_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(fourth_done.load());
  release = true;
  producer.join();
  writer.Cancel();
  EXPECT_LE(consumed.load(), 4);
}

}  // namespace
}  // namespace quiver::store
