#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arrow/result.h>

#include "quiver/server/serve.h"

namespace quiver::app {

/// \brief quiverd's Flight service, whose TLS certificates can be replaced while it
/// runs (SIGHUP).
///
/// gRPC, as Arrow Flight builds it, reads certificates once, when the server starts.
/// Replacing them starts a new server with the same store, middleware, access control
/// and limits on the same port: the running one stops accepting (its listening socket
/// closes at once), the new one takes the port, and the calls in flight on the old one
/// get a grace period to finish. Thread-safe.
class ServiceRunner {
 public:
  /// \brief Start serving (options.listen may have port 0: later servers use the port
  /// the first one got). `host` is options.listen's host.
  static arrow::Result<std::unique_ptr<ServiceRunner>> Start(
      std::shared_ptr<store::DatasetStore> store, server::ServeOptions options,
      const std::string& host);
  ~ServiceRunner();

  int port() const;

  /// \brief Serve new certificates (and client CA). They are first tried on a
  /// throw-away server on a loopback port: certificates gRPC refuses leave the running
  /// server untouched.
  /// \param grace how long calls in flight on the replaced server may still run.
  /// \return the trial server's error for bad certificates; IOError if the port could
  ///         not be taken over (the previous certificates are then served again).
  arrow::Status ReplaceTls(std::vector<arrow::flight::CertKeyPair> certificates,
                           std::string client_ca, std::chrono::milliseconds grace);

  /// \brief Stop serving: calls in flight get until `deadline`; returns once every
  /// server has stopped.
  void Shutdown(std::chrono::system_clock::time_point deadline);

 private:
  ServiceRunner(std::shared_ptr<store::DatasetStore> store, server::ServeOptions options)
      : store_(std::move(store)), options_(std::move(options)) {}
  /// Start a server on options' port, retrying while the port is still held.
  arrow::Result<std::shared_ptr<server::QuiverService>> StartOnPort(
      const server::ServeOptions& options);

  std::shared_ptr<store::DatasetStore> store_;
  mutable std::mutex mutex_;
  server::ServeOptions options_;
  std::shared_ptr<server::QuiverService> current_;
  std::vector<std::thread> retiring_;  // servers being shut down after a replacement
};

}  // namespace quiver::app
