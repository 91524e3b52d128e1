#pragma once

/// \file
/// Limits a public service needs on its streams: how many DoGet/DoPut streams run at
/// once (overall and per caller), how large one upload (and a dataset after an append)
/// may grow, and how long a stream may wait on its peer before it is cut.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/server/server_metrics.h"

namespace quiver::server {

/// \brief The limits, as quiverd's flags set them. Zero means "no limit".
struct LimitOptions {
  /// --max-upload-bytes: Arrow bytes one DoPut may carry, and the size an append may
  /// bring a dataset to (its stored bytes plus the bytes uploaded).
  int64_t max_upload_bytes = 0;
  /// --max-streams: DoGet and DoPut streams running at once.
  int64_t max_streams = 0;
  /// --max-streams-per-user: the same, per authenticated user (per client address
  /// without authentication).
  int64_t max_streams_per_user = 0;
  /// --stream-idle-timeout: a stream that waits this long on its peer (a reader that
  /// stops reading, a writer that stops sending) has its connection cut.
  std::chrono::milliseconds stream_idle_timeout{0};
  /// Where refusals are counted (quiver_limit_refusals_total); may be null.
  std::shared_ptr<ServerMetrics> metrics;
  static LimitOptions Defaults() { return {}; }
};

/// Names of the limits, as in flags, messages and the metric's `limit` label.
inline constexpr char kMaxUploadBytes[] = "max-upload-bytes";
inline constexpr char kMaxStreams[] = "max-streams";
inline constexpr char kMaxStreamsPerUser[] = "max-streams-per-user";
inline constexpr char kStreamIdleTimeout[] = "stream-idle-timeout";

class StreamLimits;

/// \brief One admitted stream: holds its place in the counts until destroyed, and
/// tells the idle watchdog whether the stream waits on its peer.
///
/// Waiting()/Busy() are called by the one thread that drives the stream; the watchdog
/// reads the state concurrently.
class StreamSlot {
 public:
  ~StreamSlot();
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

  /// \brief From now on the stream waits on its peer (the idle clock runs).
  void Waiting();
  /// \brief From now on the server works on the stream (the idle clock stops).
  void Busy();
  /// \brief Whether the watchdog cut this stream's connection.
  bool cut() const { return cut_.load(); }

 private:
  friend class StreamLimits;
  StreamSlot(std::shared_ptr<StreamLimits> limits, std::string caller, std::string peer,
             std::string description);

  std::shared_ptr<StreamLimits> limits_;
  const std::string caller_;
  const std::string peer_;
  const std::string description_;
  /// steady_clock nanoseconds since the stream started waiting; 0 while busy.
  std::atomic<int64_t> waiting_since_{0};
  std::atomic<bool> cut_{false};
  std::list<StreamSlot*>::iterator position_;
};

/// \brief Admission and watchdog for DoGet/DoPut streams. Thread-safe.
class StreamLimits : public std::enable_shared_from_this<StreamLimits> {
 public:
  /// \brief Start the idle watchdog (when options.stream_idle_timeout > 0).
  static std::shared_ptr<StreamLimits> Make(LimitOptions options);
  ~StreamLimits();

  const LimitOptions& options() const { return options_; }

  /// \brief Admit a stream of `caller` (a user name, or a client address), coming from
  /// the gRPC peer `peer` ("ipv4:127.0.0.1:5555"). `description` ("DoGet of 'a'")
  /// names it in logs.
  /// \return UNAVAILABLE naming the limit and its value when --max-streams or
  ///         --max-streams-per-user is reached (counted as a refusal).
  arrow::Result<std::unique_ptr<StreamSlot>> Admit(std::string caller, std::string peer,
                                                   std::string description);

  /// \brief Check an upload of `received` bytes so far to `dataset`, whose current
  /// version holds `stored_before` bytes when the upload appends (0 otherwise).
  /// \return INVALID_ARGUMENT naming --max-upload-bytes and its value when over it
  ///         (counted as a refusal).
  arrow::Status CheckUpload(const std::string& dataset, int64_t stored_before,
                            int64_t received);

  /// \brief The Flight port served, to recognise the connections of idle streams
  /// (until set, connections on any local port are matched).
  void set_local_port(int port) { local_port_.store(port); }

  /// \brief Streams admitted now.
  int64_t active_streams() const;

  /// \brief Count a refusal by `limit` in quiver_limit_refusals_total.
  void CountRefusal(std::string_view limit);

 private:
  friend class StreamSlot;
  explicit StreamLimits(LimitOptions options) : options_(std::move(options)) {}
  void Release(StreamSlot* slot);
  void WatchIdleStreams();

  const LimitOptions options_;
  std::atomic<int> local_port_{0};
  mutable std::mutex mutex_;
  std::list<StreamSlot*> slots_;
  std::unordered_map<std::string, int64_t> per_caller_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread watchdog_;
};

}  // namespace quiver::server
