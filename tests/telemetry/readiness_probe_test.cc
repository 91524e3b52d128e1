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

/// A check that blocks until released, counting its runs. The probe runs it on its own
/// thread, whenever the scheduler lets that thread run: tests wait for a run to have
/// begun (WaitForRuns) instead of assuming it has after some time.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  std::atomic<int> runs{0};
  std::atomic<int> returned{0};
  arrow::Status result = arrow::Status::OK();

  arrow::Status Run() {
    std::unique_lock lock(mutex);
    ++runs;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
    ++returned;
    return result;
  }
  void WaitForRuns(int count) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return runs >= count; });
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
  EXPECT_FALSE(probe.Check().ok());
  gate.WaitForRuns(1);  // the probe's thread may start the check after the timeout
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
  // However late the probe's thread runs it (no bound on the tries: ctest's timeout is
  // the bound).
  while (status.message().find("did not answer") != std::string::npos) {
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
  // Under load the probe's thread may not have begun the check when Check() times
  // out; a probe destroyed before it begins never runs it. Wait until it runs.
  gate.WaitForRuns(1);
  std::thread opener([&] { gate.Open(); });
  probe.reset();                // joins once the check returns
  EXPECT_EQ(gate.returned, 1);  // the destructor did not return before the check
  opener.join();
  EXPECT_EQ(gate.runs, 1);
}

}  // namespace
}  // namespace quiver::telemetry
