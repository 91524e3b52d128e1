#include "quiver/server/stream_limits.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <arrow/flight/types.h>

#include "quiver/server/connection_cutter_internal.h"

namespace quiver::server {
namespace {

namespace flight = arrow::flight;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StreamSlot::StreamSlot(std::shared_ptr<StreamLimits> limits, std::string caller,
                       std::string peer, std::string description)
    : limits_(std::move(limits)),
      caller_(std::move(caller)),
      peer_(std::move(peer)),
      description_(std::move(description)) {
  Waiting();
}

StreamSlot::~StreamSlot() { limits_->Release(this); }

void StreamSlot::Waiting() { waiting_since_.store(NowNanos()); }

void StreamSlot::Busy() { waiting_since_.store(0); }

std::shared_ptr<StreamLimits> StreamLimits::Make(LimitOptions options) {
  std::shared_ptr<StreamLimits> limits(new StreamLimits(std::move(options)));
  if (limits->options_.metrics && limits->options_.metrics->limit_refusals) {
    for (const char* name :
         {kMaxUploadBytes, kMaxStreams, kMaxStreamsPerUser, kStreamIdleTimeout}) {
      limits->options_.metrics->limit_refusals->WithLabels({name});  // shown at 0
    }
  }
  if (limits->options_.stream_idle_timeout.count() > 0) {
    limits->watchdog_ = std::thread([raw = limits.get()] { raw->WatchIdleStreams(); });
  }
  return limits;
}

StreamLimits::~StreamLimits() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

void StreamLimits::CountRefusal(std::string_view limit) {
  if (options_.metrics && options_.metrics->limit_refusals) {
    options_.metrics->limit_refusals->WithLabels({std::string(limit)}).Increment();
  }
}

arrow::Result<std::unique_ptr<StreamSlot>> StreamLimits::Admit(std::string caller,
                                                               std::string peer,
                                                               std::string description) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto total = static_cast<int64_t>(slots_.size());
    int64_t& mine = per_caller_[caller];
    const char* refused = nullptr;
    std::string message;
    if (options_.max_streams > 0 && total >= options_.max_streams) {
      refused = kMaxStreams;
      message = "too many streams: the server's limit --max-streams=" +
                std::to_string(options_.max_streams) + " is reached; retry later";
    } else if (options_.max_streams_per_user > 0 &&
               mine >= options_.max_streams_per_user) {
      refused = kMaxStreamsPerUser;
      message = "too many streams for " + caller + ": the limit --max-streams-per-user=" +
                std::to_string(options_.max_streams_per_user) +
                " is reached; retry when one of them ends";
    }
    if (refused != nullptr) {
      if (mine == 0) per_caller_.erase(caller);
      CountRefusal(refused);
      return flight::MakeFlightError(flight::FlightStatusCode::Unavailable, message);
    }
    ++mine;
  }
  std::unique_ptr<StreamSlot> slot(new StreamSlot(
      shared_from_this(), std::move(caller), std::move(peer), std::move(description)));
  std::lock_guard<std::mutex> lock(mutex_);
  slot->position_ = slots_.insert(slots_.end(), slot.get());
  return slot;
}

void StreamLimits::Release(StreamSlot* slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  slots_.erase(slot->position_);
  auto it = per_caller_.find(slot->caller_);
  if (it != per_caller_.end() && --it->second <= 0) per_caller_.erase(it);
}

int64_t StreamLimits::active_streams() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int64_t>(slots_.size());
}

arrow::Status StreamLimits::CheckUpload(const std::string& dataset, int64_t stored_before,
                                        int64_t received) {
  const int64_t limit = options_.max_upload_bytes;
  if (limit <= 0 || stored_before + received <= limit) return arrow::Status::OK();
  CountRefusal(kMaxUploadBytes);
  std::string message =
      stored_before > 0
          ? "append to '" + dataset + "' refused: the dataset would exceed the limit " +
                "--max-upload-bytes=" + std::to_string(limit) + " (" +
                std::to_string(stored_before) + " bytes stored, " +
                std::to_string(received) + " received so far); the dataset is unchanged"
          : "upload of '" + dataset + "' refused: it exceeds the limit " +
                "--max-upload-bytes=" + std::to_string(limit) + " (" +
                std::to_string(received) +
                " bytes received so far); the dataset is unchanged";
  return arrow::Status::Invalid(message);
}

void StreamLimits::WatchIdleStreams() {
  const auto timeout = options_.stream_idle_timeout;
  const auto period = std::clamp<std::chrono::milliseconds>(
      timeout / 4, std::chrono::milliseconds(10), std::chrono::seconds(1));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    const int64_t now = NowNanos();
    const int64_t limit_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    for (StreamSlot* slot : slots_) {
      const int64_t since = slot->waiting_since_.load();
      if (since == 0 || now - since < limit_ns || slot->cut_.load()) continue;
      slot->cut_.store(true);
      CountRefusal(kStreamIdleTimeout);
      auto status = CutConnection(slot->peer_, local_port_.load());
      spdlog::warn(
          "quiverd: {} from {} waited on its peer for longer than "
          "--stream-idle-timeout={}ms: {}",
          slot->description_, slot->peer_, timeout.count(),
          status.ok() ? "connection cut" : "could not cut it: " + status.ToString());
    }
  }
}

}  // namespace quiver::server
