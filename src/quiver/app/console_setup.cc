#include <spdlog/spdlog.h>

#include "quiver/app/console_setup_internal.h"
#include "quiver/common/host_port.h"
#include "quiver/store/dataset_store.h"

namespace quiver::app {

void AddConsoleFlags(CLI::App& app, ConsoleFlags& flags) {
  app.add_option("--console-listen", flags.console_listen,
                 "Serve the web console on HOST:PORT (HTTPS with --tls-cert; the same "
                 "users, roles and loopback rules as the Flight port)");
}

arrow::Result<std::unique_ptr<console::ConsoleServer>> StartConsole(
    const ConsoleFlags& flags, const SecurityFlags& security, ConsoleDependencies deps) {
  if (flags.console_listen.empty()) return nullptr;
  ARROW_ASSIGN_OR_RAISE(auto address, ParseHostPort(flags.console_listen));
  ARROW_RETURN_NOT_OK(CheckExposure(security, address, "serve the console on"));
  console::ConsoleOptions options;
  options.host = address.host;
  options.port = address.port;
  auto store = deps.store;
  options.store = std::move(deps.store);
  options.registry = std::move(deps.registry);
  options.authenticator = std::move(deps.authenticator);
  options.authorizer = std::move(deps.authorizer);
  if (!deps.tls_certificates.empty()) {
    options.tls_cert_pem = deps.tls_certificates.front().pem_cert;
    options.tls_key_pem = deps.tls_certificates.front().pem_key;
  }
  options.readiness = [store] { return store->CheckReachable(); };
  ARROW_ASSIGN_OR_RAISE(auto server, console::ConsoleServer::Start(std::move(options)));
  spdlog::info("quiverd console listening on {}://{}:{}", server->scheme(), address.host,
               server->port());
  return server;
}

}  // namespace quiver::app
