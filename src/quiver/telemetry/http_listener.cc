#include "quiver/telemetry/http_listener.h"

#include <algorithm>
#include <chrono>

#include <httplib.h>
#include <sys/socket.h>

namespace quiver::telemetry {

arrow::Result<std::unique_ptr<HttpListener>> HttpListener::Start(
    httplib::Server& server, const HttpListenOptions& options) {
  const int threads = std::max(1, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_socket_options([](auto sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) port = 0;
  } else if (!server.bind_to_port(options.host, port)) {
    port = 0;
  }
  if (port == 0) {
    return arrow::Status::IOError("cannot ", options.what, " on ", options.host, ":",
                                  options.port, options.hint);
  }
  std::unique_ptr<HttpListener> listener(new HttpListener(server, port));
  listener->thread_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it so Stop() never hangs.
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return listener;
}

HttpListener::HttpListener(httplib::Server& server, int port)
    : server_(server), port_(port) {}

HttpListener::~HttpListener() { Stop(); }

void HttpListener::Stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

}  // namespace quiver::telemetry
