#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <arrow/result.h>

#include "quiver/app/security_flags_internal.h"
#include "quiver/console/console_server.h"
#include "quiver/server/serve.h"

namespace quiver::app {

/// \brief quiverd's web console flag.
struct ConsoleFlags {
  /// HOST:PORT of the console; empty: no console.
  std::string console_listen;
};

/// \brief Declare --console-listen on `app`.
void AddConsoleFlags(CLI::App& app, ConsoleFlags& flags);

/// \brief What the console needs from the rest of quiverd.
struct ConsoleDependencies {
  std::shared_ptr<store::DatasetStore> store;
  std::shared_ptr<const telemetry::MetricsRegistry> registry;
  /// Null without --users.
  std::shared_ptr<auth::Authenticator> authenticator;
  /// The Flight service's authorizer (null without --users).
  std::shared_ptr<server::Authorizer> authorizer;
  /// The Flight port's certificate and key (empty without TLS): the console serves
  /// HTTPS with the same.
  std::vector<arrow::flight::CertKeyPair> tls_certificates;
};

/// \brief Start the console when --console-listen is given, under the rules of the
/// Flight port (CheckExposure): a non-loopback address needs --users and TLS, or
/// --allow-insecure.
/// \return null without --console-listen; Invalid for a bad address or an unsafe
///         setup; IOError if the address cannot be bound.
arrow::Result<std::unique_ptr<console::ConsoleServer>> StartConsole(
    const ConsoleFlags& flags, const SecurityFlags& security, ConsoleDependencies deps);

}  // namespace quiver::app
