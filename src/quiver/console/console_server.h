#pragma once

/// \file
/// quiver_console: the web console quiverd serves on --console-listen.
///
/// A small HTTP(S) server (cpp-httplib) with the pages of the console, built into the
/// binary (console_assets), and JSON endpoints under /api/ (docs/console.md). It is a
/// client of the store's public API and of the server's metrics registry like any other:
/// it never builds a path or opens a file. Who may do what is decided by the same
/// server::Authorizer as the Flight RPCs, for callers authenticated by the same
/// auth::Authenticator (the session cookie holds a session token).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

namespace quiver::auth {
class Authenticator;
}
namespace quiver::server {
class Authorizer;
}
namespace quiver::store {
class DatasetStore;
}
namespace quiver::telemetry {
class MetricsRegistry;
}

namespace quiver::console {

/// \brief What the console serves and how.
struct ConsoleOptions {
  /// Address to bind; port 0 picks a free port (see ConsoleServer::port()).
  std::string host = "127.0.0.1";
  int port = 0;
  /// The datasets shown. Required.
  std::shared_ptr<store::DatasetStore> store;
  /// The server's metrics, shown on the server page; null: no metrics.
  std::shared_ptr<const telemetry::MetricsRegistry> registry;
  /// Logs users in and checks session cookies; null: no authentication (every caller
  /// may do everything, as on a Flight port without --users).
  std::shared_ptr<auth::Authenticator> authenticator;
  /// Decides every operation, as for the Flight RPCs; required with an authenticator.
  std::shared_ptr<server::Authorizer> authorizer;
  /// PEM certificate chain and key: serve HTTPS (and mark the cookie Secure). Both
  /// empty: plain HTTP.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  /// Readiness check shown on the server page (null: always ready).
  std::function<arrow::Status()> readiness;
  /// Threads answering requests (a download holds one for its duration).
  int threads = 8;

  static ConsoleOptions Defaults() { return {}; }
};

/// \brief The console's HTTP server. Runs on its own threads; Stop() (or destruction)
/// closes the socket and joins them. Requests in progress finish first.
class ConsoleServer {
 public:
  /// \brief Bind and start serving.
  /// \return Invalid for inconsistent options (no store, an authenticator without
  ///         authorizer, a certificate without key, bad PEM); IOError if the address
  ///         cannot be bound.
  static arrow::Result<std::unique_ptr<ConsoleServer>> Start(ConsoleOptions options);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  /// \brief The bound port.
  int port() const { return port_; }
  /// \brief "http" or "https".
  const char* scheme() const;
  /// \brief Stop serving and join the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  ConsoleServer(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace quiver::console
