#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "quiver/telemetry/span_exporter.h"

namespace quiver::telemetry::testing {

/// \brief Keeps exported spans in memory; can be told to fail or to block.
/// The test keeps a raw pointer after handing ownership to a tracer; it stays valid
/// until the tracer is destroyed.
class InMemoryExporter : public SpanExporter {
 public:
  arrow::Status Export(const std::vector<SpanData>& spans) override {
    std::unique_lock lock(mutex_);
    ++calls_;
    called_.notify_all();
    released_.wait(lock, [this] { return !blocked_; });
    if (fail_) return arrow::Status::IOError("collector down");
    spans_.insert(spans_.end(), spans.begin(), spans.end());
    return arrow::Status::OK();
  }

  std::vector<SpanData> spans() {
    std::lock_guard lock(mutex_);
    return spans_;
  }
  void set_fail(bool fail) {
    std::lock_guard lock(mutex_);
    fail_ = fail;
  }
  /// While blocked, Export waits (simulating a collector that does not answer).
  void set_blocked(bool blocked) {
    std::lock_guard lock(mutex_);
    blocked_ = blocked;
    released_.notify_all();
  }
  /// Wait until Export has been entered at least `n` times.
  void WaitForCalls(int n) {
    std::unique_lock lock(mutex_);
    called_.wait(lock, [&] { return calls_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable called_, released_;
  std::vector<SpanData> spans_;
  bool fail_ = false;
  bool blocked_ = false;
  int calls_ = 0;
};

}  // namespace quiver::telemetry::testing
