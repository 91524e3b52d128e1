#include "quiver/telemetry/readiness_probe.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace quiver::telemetry {
namespace {

using std::chrono::milliseconds;

/// A check that blocks until released, counting its runs.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  std::atomic<int> runs{0};
  arrow::Status result = arrow::Status::OK();

  arrow::Status Run() {
    ++runs;
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return open; });
    return result;
  }
  void Open() {
    {
      std::lock_guard lock(mutex);
      open = true;
    }
    changed.notify_all();
  }
};

TEST(ReadinessProbeTest, AnswersNotReadyWhileTheCheckHangsThenItsResult) {
  Gate gate;
  ReadinessProbe probe([&] { return gate.Run(); }, milliseconds(50));
  // The check blocks: callers get an answer anyway, and no second check piles up.
  for (int i = 0; i < 3; ++i) {
    auto status = probe.Check();
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.message().find("did not answer within 50 ms"), std::string::npos);
  }
  EXPECT_EQ(gate.runs, 1);
  gate.result = arrow::Status::IOError("store root is not reachable");
  gate.Open();
  // The hung check started before these calls: the answer is the next check's.
  auto status = probe.Check();
  for (int i = 0; i < 100 && status.message().find("did not answer") != std::string::npos;
       ++i) {
    status = probe.Check();
  }
  EXPECT_EQ(status.message(), "store root is not reachable");
  EXPECT_GE(gate.runs, 2);
}

TEST(ReadinessProbeTest, EachAnswerComesFromACheckStartedAfterTheCall) {
  std::atomic<int> runs{0};
  ReadinessProbe probe(
      [&] {
        ++runs;
        return arrow::Status::OK();
      },
      milliseconds(10000));
  for (int i = 1; i <= 5; ++i) {
    EXPECT_TRUE(probe.Check().ok());
    EXPECT_EQ(runs, i);
  }
}

TEST(ReadinessProbeTest, DestructionWaitsForARunningCheck) {
  Gate gate;
  auto probe =
      std::make_unique<ReadinessProbe>([&] { return gate.Run(); }, milliseconds(1));
  EXPECT_FALSE(probe->Check().ok());
  std::thread opener([&] {
    std::this_thread::sleep_for(milliseconds(20));
    gate.Open();
  });
  probe.reset();  // joins once the check returns
  opener.join();
  EXPECT_EQ(gate.runs, 1);
}

}  // namespace
}  // namespace quiver::telemetry
