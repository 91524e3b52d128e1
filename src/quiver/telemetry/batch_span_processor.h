#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "quiver/telemetry/span_exporter.h"

namespace quiver::telemetry {

/// \brief Batching settings (the OTEL_BSP_* variables).
struct BatchOptions {
  /// Spans that may wait for export; more are dropped and counted.
  size_t max_queue_size = 2048;
  /// Spans per export call.
  size_t max_export_batch_size = 512;
  /// Longest time a span waits before its batch is exported.
  std::chrono::milliseconds schedule_delay{5000};

  static BatchOptions Defaults() { return {}; }
};

/// \brief Counters of what happened to ended spans; monotonic.
struct SpanCounts {
  /// Spans handed to the processor.
  uint64_t ended = 0;
  /// Spans the exporter accepted.
  uint64_t exported = 0;
  /// Spans lost: queue full, export failed, or left at shutdown.
  uint64_t dropped = 0;
};

/// \brief Queues ended spans and exports them in batches on a background thread.
///
/// OnEnd never waits for the exporter: when the queue is full the span is dropped and
/// counted, so a slow or unreachable collector never slows the caller. Thread-safe.
class BatchSpanProcessor {
 public:
  /// \brief Start the export thread. `exporter` must not be null.
  BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchOptions options);
  /// \brief Shutdown() if not done yet.
  ~BatchSpanProcessor();
  BatchSpanProcessor(const BatchSpanProcessor&) = delete;
  BatchSpanProcessor& operator=(const BatchSpanProcessor&) = delete;

  /// \brief Queue a span for export (drops it if the queue is full or after shutdown).
  void OnEnd(SpanData&& span);
  /// \brief Export everything queued so far and wait until it has been handed to the
  /// exporter, or until `timeout`. \return whether the queue was drained in time.
  bool ForceFlush(std::chrono::milliseconds timeout);
  /// \brief Interrupt the exporter's retries, export what is queued (one attempt,
  /// giving up at the first failure), then stop the thread. Idempotent.
  void Shutdown();

  SpanCounts counts() const;

 private:
  void Run();
  /// Export up to one batch. REQUIRES: lock held on entry and on return.
  bool ExportBatch(std::unique_lock<std::mutex>& lock);

  const BatchOptions options_;
  std::unique_ptr<SpanExporter> exporter_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // export thread: work to do or stopping
  std::condition_variable drained_;  // ForceFlush waiters
  std::deque<SpanData> queue_;
  bool stopping_ = false;
  bool flush_requested_ = false;
  bool exporting_ = false;
  SpanCounts counts_;
  uint64_t failures_logged_ = 0;
  std::thread thread_;
};

}  // namespace quiver::telemetry
