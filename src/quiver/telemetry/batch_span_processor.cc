#include "quiver/telemetry/batch_span_processor.h"

#include <spdlog/spdlog.h>

namespace quiver::telemetry {

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                       BatchOptions options)
    : options_(options), exporter_(std::move(exporter)) {
  thread_ = std::thread([this] { Run(); });
}

BatchSpanProcessor::~BatchSpanProcessor() { Shutdown(); }

void BatchSpanProcessor::OnEnd(SpanData&& span) {
  std::lock_guard lock(mutex_);
  ++counts_.ended;
  if (stopping_ || queue_.size() >= options_.max_queue_size) {
    ++counts_.dropped;
    return;
  }
  queue_.push_back(std::move(span));
  if (queue_.size() >= options_.max_export_batch_size) wake_.notify_one();
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  flush_requested_ = true;
  wake_.notify_one();
  return drained_.wait_for(lock, timeout,
                           [this] { return queue_.empty() && !exporting_; });
}

void BatchSpanProcessor::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  // A back-off wait in progress ends now, and the final export is a single attempt.
  exporter_->Interrupt();
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

SpanCounts BatchSpanProcessor::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

bool BatchSpanProcessor::ExportBatch(std::unique_lock<std::mutex>& lock) {
  size_t n = std::min(queue_.size(), options_.max_export_batch_size);
  std::vector<SpanData> batch;
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  exporting_ = true;
  lock.unlock();
  arrow::Status status = exporter_->Export(batch);
  lock.lock();
  exporting_ = false;
  if (status.ok()) {
    counts_.exported += n;
  } else {
    counts_.dropped += n;
    // The first failure and then one in a hundred, so a dead collector cannot flood
    // the log.
    if (failures_logged_++ % 100 == 0) {
      spdlog::warn("tracing: dropped {} spans, export failed: {}", n, status.ToString());
    }
  }
  return status.ok();
}

void BatchSpanProcessor::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.schedule_delay, [this] {
      return stopping_ || flush_requested_ ||
             queue_.size() >= options_.max_export_batch_size;
    });
    if (stopping_) break;
    bool flushing = flush_requested_;
    flush_requested_ = false;
    // After a timeout export what is there; when woken for a full batch or a flush,
    // keep going until the queue is below one batch (or empty for a flush).
    do {
      if (queue_.empty()) break;
      ExportBatch(lock);
    } while (!stopping_ && (flushing ? !queue_.empty()
                                     : queue_.size() >= options_.max_export_batch_size));
    drained_.notify_all();
  }
  // Shutdown: one last attempt for what is left; a failing collector gets no more.
  while (!queue_.empty()) {
    if (!ExportBatch(lock)) {
      counts_.dropped += queue_.size();
      queue_.clear();
    }
  }
  drained_.notify_all();
}

}  // namespace quiver::telemetry
