#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/common/host_port.h"
#include "quiver/server/serve.h"

namespace CLI {
class App;
}

namespace quiver::auth {
class Authenticator;
class UserDirectory;
}  // namespace quiver::auth

namespace quiver::app {

/// \brief quiverd's authentication and TLS flags, as parsed.
struct SecurityFlags {
  std::string users;
  std::string token_ttl = "12h";
  std::string token_key_file;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  bool tls_client_user_from_cert = false;
  bool allow_insecure = false;
};

/// \brief Declare --users, --token-ttl, --token-key-file, --tls-cert, --tls-key,
/// --tls-client-ca, --tls-client-user-from-cert and --allow-insecure on `app`.
void AddSecurityFlags(CLI::App& app, SecurityFlags& flags);

/// \brief Apply the flags to `options`: TLS certificates (and the grpc+tls listen
/// location), mTLS, authentication and authorization.
///
/// Safe by default: serving a non-loopback address without authentication or without
/// TLS is refused unless `allow_insecure`, and then logged as a warning.
/// \param users if not null, set to the users file's directory (to reload it), or
///        to null without --users.
/// \param authenticator if not null, set to the Authenticator installed (null without
///        --users): the web console logs users in with it.
/// \return the URL scheme served ("grpc" or "grpc+tls"); Invalid for inconsistent
///         flags or an unsafe setup; the errors of the auth layer for bad files.
arrow::Result<std::string> ApplySecurityFlags(
    const SecurityFlags& flags, const HostPort& listen, server::ServeOptions* options,
    std::shared_ptr<auth::UserDirectory>* users = nullptr,
    std::shared_ptr<auth::Authenticator>* authenticator = nullptr);

/// \brief Refuse to `what` ("serve", "serve the console on") a non-loopback address
/// without authentication and TLS, unless --allow-insecure (then log a warning).
/// \return Invalid naming what is missing.
arrow::Status CheckExposure(const SecurityFlags& flags, const HostPort& listen,
                            std::string_view what);

/// \brief Read the TLS certificate chain and key of the flags (and the client CA, when
/// set) as ApplySecurityFlags does, into `options`.
arrow::Status ReadTlsFiles(const SecurityFlags& flags, server::ServeOptions* options);

}  // namespace quiver::app
