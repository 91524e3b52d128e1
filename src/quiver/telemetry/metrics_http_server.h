#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/telemetry/metrics_registry.h"

namespace quiver::telemetry {

/// \brief What the metrics and health endpoint serves.
struct MetricsHttpOptions {
  /// Address to bind; port 0 picks a free port (see MetricsHttpServer::port()).
  std::string host = "127.0.0.1";
  int port = 0;
  /// Rendered on GET /metrics. Required.
  std::shared_ptr<const MetricsRegistry> registry;
  /// Run on GET /readyz: 200 "ready" when it returns OK, 503 with the message
  /// otherwise. Null means always ready. Runs on a thread of its own, one at a time.
  std::function<arrow::Status()> readiness;
  /// /readyz answers 503 when the check has not ended within this (it goes on, for
  /// the next request): a prober's own timeout is usually 1 s.
  std::chrono::milliseconds readiness_timeout{800};
  /// Threads answering requests.
  int threads = 2;
};

/// \brief A small HTTP server: GET /metrics (Prometheus text), /healthz (the process
/// is up: always 200) and /readyz (see MetricsHttpOptions::readiness).
///
/// Runs on its own threads; Stop() (or destruction) closes the socket and joins them.
class MetricsHttpServer {
 public:
  /// \brief Bind and start serving. \return IOError if the address cannot be bound.
  static arrow::Result<std::unique_ptr<MetricsHttpServer>> Start(
      MetricsHttpOptions options);
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  /// \brief The bound port.
  int port() const { return port_; }
  /// \brief Stop serving and join the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit MetricsHttpServer(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace quiver::telemetry
