#include "quiver/telemetry/metrics_http_server.h"

#include <httplib.h>

#include "quiver/telemetry/http_listener.h"
#include "quiver/telemetry/readiness_probe.h"

namespace quiver::telemetry {

struct MetricsHttpServer::Impl {
  /// Declared first: destroyed after the server whose handlers use it.
  std::shared_ptr<ReadinessProbe> readiness;
  httplib::Server server;
  /// Declared after the server it stops.
  std::unique_ptr<HttpListener> listener;
};

arrow::Result<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    MetricsHttpOptions options) {
  if (!options.registry) return arrow::Status::Invalid("metrics server needs a registry");
  auto impl = std::make_unique<Impl>();
  auto& server = impl->server;

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

  HttpListenOptions listen;
  listen.host = options.host;
  listen.port = options.port;
  listen.threads = options.threads;
  listen.what = "listen for metrics";
  ARROW_ASSIGN_OR_RAISE(impl->listener, HttpListener::Start(server, listen));
  const int port = impl->listener->port();
  return std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer(std::move(impl), port));
}

MetricsHttpServer::MetricsHttpServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

void MetricsHttpServer::Stop() { impl_->listener->Stop(); }

}  // namespace quiver::telemetry
