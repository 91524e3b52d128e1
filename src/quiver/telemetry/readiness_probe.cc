#include "quiver/telemetry/readiness_probe.h"

#include <string>

namespace quiver::telemetry {

ReadinessProbe::ReadinessProbe(std::function<arrow::Status()> check,
                               std::chrono::milliseconds timeout)
    : check_(std::move(check)), timeout_(timeout), thread_([this] { Run(); }) {}

ReadinessProbe::~ReadinessProbe() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

arrow::Status ReadinessProbe::Check() {
  std::unique_lock lock(mutex_);
  // A check already under way may have started before this call: wait for one that
  // starts after it (the one under way, if none is queued, starts the next).
  uint64_t wanted = started_ + 1;
  if (requested_ < wanted) requested_ = wanted;
  changed_.notify_all();
  if (!changed_.wait_for(lock, timeout_, [&] { return finished_ >= wanted; })) {
    return arrow::Status::IOError("the check did not answer within ",
                                  std::to_string(timeout_.count()), " ms");
  }
  return last_;
}

void ReadinessProbe::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || requested_ > started_; });
    if (stopping_) return;
    ++started_;
    lock.unlock();
    arrow::Status result = check_();
    lock.lock();
    last_ = std::move(result);
    finished_ = started_;
    changed_.notify_all();
  }
}

}  // namespace quiver::telemetry
