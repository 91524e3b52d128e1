#include "quiver/auth/auth.h"

#include "quiver/auth/handshake_handler_internal.h"
#include "quiver/auth/logout_action_internal.h"
#include "quiver/auth/role_authorizer_internal.h"
#include "quiver/auth/token_keys.h"
#include "quiver/auth/users_file.h"

namespace quiver::auth {

arrow::Result<std::shared_ptr<Authenticator>> LoadAuthenticator(
    const AuthOptions& options) {
  AuthenticatorOptions authenticator;
  UserDirectoryOptions users;
  users.path = options.users_file;
  ARROW_ASSIGN_OR_RAISE(authenticator.directory, UserDirectory::Open(users));
  authenticator.tokens.ttl = options.token_ttl;
  if (!options.token_key_file.empty()) {
    ARROW_ASSIGN_OR_RAISE(authenticator.tokens.keys,
                          ReadTokenKeyFile(options.token_key_file));
  }
  authenticator.login = options.login;
  return Authenticator::Make(std::move(authenticator));
}

void InstallAuth(std::shared_ptr<Authenticator> authenticator,
                 const AuthMiddlewareOptions& middleware,
                 server::ServeOptions* serve_options) {
  serve_options->middleware.emplace_back(
      kAuthMiddlewareKey, MakeAuthMiddlewareFactory(authenticator, middleware));
  // With a ServerAuthHandler installed, Flight hides the client certificate's identity
  // from middleware; without one, Handshake is UNIMPLEMENTED (no password login).
  if (!middleware.user_from_certificate) {
    serve_options->auth_handler = MakeHandshakeHandler();
  }
  serve_options->extensions.authorizer = MakeRoleAuthorizer();
  serve_options->extensions.actions.push_back(MakeLogoutAction(std::move(authenticator)));
}

}  // namespace quiver::auth
