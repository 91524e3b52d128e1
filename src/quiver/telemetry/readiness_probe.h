#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include <arrow/status.h>

namespace quiver::telemetry {

/// \brief Runs a readiness check with a deadline for its callers.
///
/// A check can take long when what it probes is down (an object store: the client's
/// retries take seconds), longer than a health prober waits. The check runs on a
/// thread of the probe's own, at most one at a time; Check() starts one when none runs
/// and waits for the running one at most `timeout`: past it, the answer is "not ready"
/// at once and the check goes on for the next caller. Thread-safe.
class ReadinessProbe {
 public:
  ReadinessProbe(std::function<arrow::Status()> check, std::chrono::milliseconds timeout);
  /// Waits for a running check to end, then joins the thread.
  ~ReadinessProbe();
  ReadinessProbe(const ReadinessProbe&) = delete;
  ReadinessProbe& operator=(const ReadinessProbe&) = delete;

  /// \brief The result of a check that started at or after this call, or, if none
  /// ends within the timeout, IOError saying so.
  arrow::Status Check();

 private:
  void Run();

  const std::function<arrow::Status()> check_;
  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t requested_ = 0;  // guarded by mutex_: checks asked for
  uint64_t started_ = 0;    // guarded by mutex_: checks begun
  uint64_t finished_ = 0;   // guarded by mutex_: checks ended
  arrow::Status last_;      // guarded by mutex_: the latest check's result
  bool stopping_ = false;   // guarded by mutex_
  std::thread thread_;
};

}  // namespace quiver::telemetry
