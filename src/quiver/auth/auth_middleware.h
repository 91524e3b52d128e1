#pragma once

#include <memory>

#include <arrow/flight/server_middleware.h>

#include "quiver/auth/authenticator.h"

namespace quiver::auth {

/// Key under which the authentication middleware is registered.
inline constexpr char kAuthMiddlewareKey[] = "quiver.auth";

/// \brief How the authentication middleware identifies callers.
struct AuthMiddlewareOptions {
  /// Under mTLS, a call without an Authorization header is made by the user named by
  /// its client certificate (first subject alternative name, else common name). Only
  /// effective when no ServerAuthHandler is installed: Flight gives the certificate's
  /// identity to middleware only then (see docs/security.md).
  bool user_from_certificate = false;
};

/// \brief Middleware that authenticates every call in StartCall, so that a rejected
/// call never reaches a handler.
///
/// The Authorization header carries "Basic base64(user:password)" (a login: the reply
/// carries "authorization: Bearer <token>", as the cookbook's clients expect, also on
/// Handshake) or "Bearer <token>". Header name and scheme are matched case-insensitively,
/// and the base64 of Basic may be unpadded (as arrow-go sends it). Refusals are UNAUTHENTICATED with the recipe's
/// messages: "No credentials supplied", "Unknown user or invalid password",
/// "Invalid token".
std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeAuthMiddlewareFactory(
    std::shared_ptr<Authenticator> authenticator, AuthMiddlewareOptions options = {});

/// \brief The principal of the current call, or nullptr when the call went through no
/// authentication middleware. Valid for the duration of the call.
const Principal* GetPrincipal(const arrow::flight::ServerCallContext& context);

}  // namespace quiver::auth
