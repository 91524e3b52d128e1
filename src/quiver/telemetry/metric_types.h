#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace quiver::telemetry {

/// \brief A monotonically increasing value. Lock-free and thread-safe.
class Counter {
 public:
  /// \brief Add `delta` (must be >= 0; negative deltas are ignored).
  void Increment(double delta = 1) {
    if (delta > 0) value_.fetch_add(delta, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// \brief A value that goes up and down. Lock-free and thread-safe.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// \brief Counts observations into fixed buckets, Prometheus style. Thread-safe.
class Histogram {
 public:
  /// \param bounds upper bounds of the buckets, strictly increasing; the +Inf bucket
  ///        is implicit.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    /// Cumulative counts, one per bound, then the +Inf bucket (== count).
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  /// \brief A copy for rendering (buckets read one by one, so a concurrent Observe
  /// may be half seen; the counts stay monotonic).
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

}  // namespace quiver::telemetry
