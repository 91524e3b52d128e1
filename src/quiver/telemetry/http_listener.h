#pragma once

/// \file
/// Serving a cpp-httplib server on a thread of its own, the one way quiver's HTTP
/// endpoints (metrics_http_server.h, the web console) start and stop theirs:
///
///     httplib::Server server;
///     server.Get("/healthz", ...);
///     ARROW_ASSIGN_OR_RAISE(auto listener, HttpListener::Start(server, options));
///     listener->port();   // the bound port
///     listener.reset();   // stops serving, joins the thread

#include <memory>
#include <string>
#include <thread>

#include <arrow/result.h>
#include <arrow/status.h>

namespace httplib {
class Server;
}

namespace quiver::telemetry {

/// \brief Where and how an HttpListener serves.
struct HttpListenOptions {
  /// Address to bind; port 0 picks a free port (see HttpListener::port()).
  std::string host = "127.0.0.1";
  int port = 0;
  /// Threads answering requests (at least one).
  int threads = 1;
  /// What the server is for, in the bind error: "cannot <what> on <host>:<port>".
  std::string what = "listen";
  /// Appended to the bind error (a hint naming the flag, say); may be empty.
  std::string hint;
};

/// \brief A started httplib::Server: bound, its accept loop running on its own
/// thread. Stop() (or destruction) stops it and joins the thread; requests in progress
/// finish first. The server must outlive its listener.
class HttpListener {
 public:
  /// \brief Bind `server` (its routes set up) as `options` say, with SO_REUSEADDR only
  /// (httplib's default SO_REUSEPORT would let a second process bind the same port and
  /// silently share its requests), and run its accept loop; returns once it runs, so
  /// that Stop() never hangs. Replaces the server's task queue and socket options.
  /// \return IOError "cannot <what> on <host>:<port><hint>" if the address cannot be
  ///         bound.
  static arrow::Result<std::unique_ptr<HttpListener>> Start(
      httplib::Server& server, const HttpListenOptions& options);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  /// \brief The bound port.
  int port() const { return port_; }
  /// \brief Stop serving and join the thread. Idempotent.
  void Stop();

 private:
  HttpListener(httplib::Server& server, int port);

  httplib::Server& server_;
  const int port_;
  std::thread thread_;
};

}  // namespace quiver::telemetry
