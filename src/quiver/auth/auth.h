#pragma once

/// \file
/// quiver_auth: who may call quiverd, and what they may do.
///
/// - Users live in a users file (users_file.h): names, roles (role.h), dataset grants
///   and argon2id password hashes (password.h), managed by `quiverd user ...`.
/// - A client logs in with Basic credentials, on Handshake (the cookbook's
///   `authenticate_basic_token`) or on any call, and gets a signed session token
///   (token_service.h) to send as "authorization: Bearer <token>". Logins are
///   throttled and their hashing bounded (login_guard.h).
/// - The middleware (auth_middleware.h) authenticates every call in StartCall; the
///   role authorizer (role_authorizer.h) plugs into the server layer's Authorizer seam
///   and checks each operation; `logout` (logout_action.h) revokes a token.
///
/// InstallAuth wires all of it into server::ServeOptions.

#include <chrono>
#include <memory>
#include <string>

#include <arrow/result.h>

#include "quiver/auth/auth_middleware.h"
#include "quiver/auth/authenticator.h"
#include "quiver/auth/login_guard.h"
#include "quiver/server/serve.h"

namespace quiver::auth {

/// \brief Authentication as configured on quiverd's command line.
struct AuthOptions {
  /// The users file (--users), re-read when it changes. Required.
  std::string users_file;
  /// Lifetime of session tokens (--token-ttl).
  std::chrono::milliseconds token_ttl = std::chrono::hours(12);
  /// HMAC key file shared by the nodes that accept each other's tokens
  /// (--token-key-file); empty: a random key per process.
  std::string token_key_file;
  AuthMiddlewareOptions middleware;
  LoginGuardOptions login = LoginGuardOptions::Defaults();

  static AuthOptions Defaults() { return {}; }
};

/// \brief Read the users file (and token key file) and make the Authenticator.
/// \return the errors of ReadUsersFile / ReadTokenKeyFile (e.g. a users file readable
///         by others, with how to fix it).
arrow::Result<std::shared_ptr<Authenticator>> LoadAuthenticator(
    const AuthOptions& options);

/// \brief Turn authentication and authorization on in `serve_options`: the middleware
/// (after the access log), the Handshake handler (unless users come from client
/// certificates), the role authorizer and the `logout` action.
void InstallAuth(std::shared_ptr<Authenticator> authenticator,
                 const AuthMiddlewareOptions& middleware,
                 server::ServeOptions* serve_options);

}  // namespace quiver::auth
