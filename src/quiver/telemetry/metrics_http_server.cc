#include "quiver/telemetry/metrics_http_server.h"

#include <chrono>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

#include "quiver/telemetry/readiness_probe.h"

namespace quiver::telemetry {

struct MetricsHttpServer::Impl {
  /// Declared first: destroyed after the server whose handlers use it.
  std::shared_ptr<ReadinessProbe> readiness;
  httplib::Server server;
  std::thread thread;
};

arrow::Result<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    MetricsHttpOptions options) {
  if (!options.registry) return arrow::Status::Invalid("metrics server needs a registry");
  auto impl = std::make_unique<Impl>();
  auto& server = impl->server;
  int threads = std::max(1, options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's default sets SO_REUSEPORT, which lets a second process bind the same
  // port and silently share the scrapes; SO_REUSEADDR alone only allows a restart.
  server.set_socket_options([](auto sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  auto registry = options.registry;
  server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry->RenderText(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  if (options.readiness) {
    impl->readiness = std::make_shared<ReadinessProbe>(std::move(options.readiness),
                                                       options.readiness_timeout);
  }
  ReadinessProbe* readiness = impl->readiness.get();
  server.Get("/readyz", [readiness](const httplib::Request&, httplib::Response& res) {
    arrow::Status status = readiness ? readiness->Check() : arrow::Status::OK();
    if (status.ok()) {
      res.set_content("ready\n", "text/plain");
    } else {
      res.status = 503;
      res.set_content("not ready: " + status.message() + "\n", "text/plain");
    }
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) port = 0;
  } else if (!server.bind_to_port(options.host, port)) {
    port = 0;
  }
  if (port == 0) {
    return arrow::Status::IOError("cannot listen for metrics on ", options.host, ":",
                                  options.port);
  }
  impl->thread = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it so Stop() never hangs.
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer(std::move(impl), port));
}

MetricsHttpServer::MetricsHttpServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

void MetricsHttpServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

}  // namespace quiver::telemetry
