#include "quiver/console/console_server.h"

#include <chrono>

#include <httplib.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "quiver/console/caller_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/telemetry/http_listener.h"
#include "quiver/telemetry/readiness_probe.h"

namespace quiver::console {
namespace {

/// Headers on every answer: the pages load only their own assets, are never framed,
/// and send no referrer.
void SetSecurityHeaders(httplib::Server& server) {
  server.set_default_headers(
      {{"Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"},
       {"X-Content-Type-Options", "nosniff"},
       {"X-Frame-Options", "DENY"},
       {"Referrer-Policy", "no-referrer"}});
}

arrow::Result<std::unique_ptr<httplib::Server>> MakeHttpsServer(
    const std::string& cert_pem, const std::string& key_pem) {
  BIO* cert_bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert =
      cert_bio ? PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(cert_bio);
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key =
      key_bio ? PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(key_bio);
  if (cert == nullptr || key == nullptr) {
    X509_free(cert);
    EVP_PKEY_free(key);
    return arrow::Status::Invalid("console: cannot read the TLS certificate or key");
  }
  auto server = std::make_unique<httplib::SSLServer>(cert, key);
  // SSLServer took references of its own.
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!server->is_valid()) {
    return arrow::Status::Invalid("console: the TLS certificate and key do not match");
  }
  return server;
}

}  // namespace

struct ConsoleServer::Impl {
  /// Declared first: destroyed after the server whose handlers use it.
  RouteContext context;
  std::unique_ptr<httplib::Server> server;
  /// Declared after the server it stops.
  std::unique_ptr<telemetry::HttpListener> listener;
  bool https = false;
};

arrow::Result<std::unique_ptr<ConsoleServer>> ConsoleServer::Start(
    ConsoleOptions options) {
  if (!options.store) return arrow::Status::Invalid("console: a store is required");
  if (options.authenticator && !options.authorizer) {
    return arrow::Status::Invalid("console: authentication needs an authorizer");
  }
  if (options.tls_cert_pem.empty() != options.tls_key_pem.empty()) {
    return arrow::Status::Invalid("console: a TLS certificate goes with its key");
  }
  auto impl = std::make_unique<Impl>();
  impl->https = !options.tls_cert_pem.empty();
  if (impl->https) {
    ARROW_ASSIGN_OR_RAISE(impl->server,
                          MakeHttpsServer(options.tls_cert_pem, options.tls_key_pem));
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  auto& context = impl->context;
  context.store = options.store;
  context.registry = options.registry;
  if (options.readiness) {
    context.readiness = std::make_shared<telemetry::ReadinessProbe>(
        std::move(options.readiness), std::chrono::milliseconds(800));
  }
  context.sessions = std::make_shared<Sessions>(
      options.authenticator, options.authenticator ? options.authorizer : nullptr,
      /*secure_cookie=*/impl->https);

  auto& server = *impl->server;
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_read_timeout(std::chrono::seconds(30));
  SetSecurityHeaders(server);
  AddAssetRoutes(server);
  AddSessionRoutes(server, context);
  AddDatasetRoutes(server, context);
  AddDownloadRoutes(server, context);
  AddActionRoutes(server, context);
  AddServerRoutes(server, context);

  telemetry::HttpListenOptions listen;
  listen.host = options.host;
  listen.port = options.port;
  listen.threads = options.threads;
  listen.what = "serve the console";
  listen.hint = " (is the port already in use? see --console-listen)";
  ARROW_ASSIGN_OR_RAISE(impl->listener, telemetry::HttpListener::Start(server, listen));
  const int port = impl->listener->port();
  return std::unique_ptr<ConsoleServer>(new ConsoleServer(std::move(impl), port));
}

ConsoleServer::ConsoleServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

ConsoleServer::~ConsoleServer() { Stop(); }

const char* ConsoleServer::scheme() const { return impl_->https ? "https" : "http"; }

void ConsoleServer::Stop() { impl_->listener->Stop(); }

}  // namespace quiver::console
