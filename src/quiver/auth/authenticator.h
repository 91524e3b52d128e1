#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <arrow/result.h>

#include "quiver/auth/login_guard.h"
#include "quiver/auth/password.h"
#include "quiver/auth/token_service.h"
#include "quiver/auth/user_directory.h"
#include "quiver/auth/user_record.h"

namespace quiver::auth {

/// The exact messages of the cookbook's recipe, sent with UNAUTHENTICATED.
inline constexpr char kNoCredentials[] = "No credentials supplied";
inline constexpr char kBadLogin[] = "Unknown user or invalid password";
inline constexpr char kInvalidToken[] = "Invalid token";

/// \brief Who a call is made by, once authenticated.
struct Principal {
  std::string user;
  Role role = Role::kReader;
  std::vector<store::DatasetName> grants;
  /// The session token of the call: the one presented, or the one minted by a Basic
  /// login. Empty for a call authenticated by its client certificate.
  std::string token;
  /// Claims of `token` (for logout).
  std::optional<TokenClaims> claims;

  /// \brief Whether `grants` cover `dataset` (no grants: every dataset).
  bool Covers(const store::DatasetName& dataset) const;
};

/// \brief Everything an Authenticator needs.
struct AuthenticatorOptions {
  /// Where users come from (e.g. UserDirectory::Open on the users file); when null, the
  /// fixed list `users`.
  std::shared_ptr<UserDirectory> directory;
  std::vector<UserRecord> users;
  TokenServiceOptions tokens = TokenServiceOptions::Defaults();
  LoginGuardOptions login = LoginGuardOptions::Defaults();
  /// Cost of the decoy hash verified for unknown users (so that their refusal takes as
  /// long as a wrong password). Match the users file's hashes.
  PasswordHashOptions decoy_hash = PasswordHashOptions::Defaults();
};

/// \brief Logs users in and checks their tokens. Errors are the Flight errors sent to
/// the client: UNAUTHENTICATED with the cookbook's messages (kNoCredentials,
/// kBadLogin, kInvalidToken), UNAVAILABLE when logins are saturated. Neither a
/// password, a hash nor a token ever appears in an error or a log line.
///
/// Thread-safe.
class Authenticator {
 public:
  static arrow::Result<std::shared_ptr<Authenticator>> Make(AuthenticatorOptions options);

  /// \brief Log in with HTTP-Basic-style credentials: base64 of "user:password".
  /// \param peer the client's address, for throttling and the log.
  /// \return the principal with a freshly minted token.
  arrow::Result<Principal> LoginBasic(std::string_view credentials,
                                      const std::string& peer);

  /// \brief Log in with a user name and password (what LoginBasic does once decoded).
  arrow::Result<Principal> Login(const std::string& user, std::string_view password,
                                 const std::string& peer);

  /// \brief Authenticate a call that carries a bearer token.
  arrow::Result<Principal> VerifyToken(std::string_view token) const;

  /// \brief Authenticate a call by the identity of its verified client certificate
  /// (mTLS): the user of that name, without password.
  arrow::Result<Principal> FromCertificate(const std::string& identity) const;

  /// \brief Revoke the principal's session token.
  /// \return Invalid if the call carries no token, CapacityError if too many sessions
  ///         are revoked at once.
  arrow::Status Logout(const Principal& principal);

  const TokenService& tokens() const { return *tokens_; }
  /// \brief Where the users come from (to reload the users file on demand).
  const std::shared_ptr<UserDirectory>& users() const { return users_; }

 private:
  Authenticator(std::shared_ptr<UserDirectory> users,
                std::shared_ptr<TokenService> tokens, LoginGuardOptions login,
                std::string decoy_hash);

  static Principal PrincipalOf(const UserRecord& user);

  std::shared_ptr<UserDirectory> users_;
  std::shared_ptr<TokenService> tokens_;
  LoginGuard guard_;
  std::string decoy_hash_;
};

/// \brief The client's host without its port ("ipv4:10.0.0.1:5555" -> "ipv4:10.0.0.1").
std::string PeerHost(const std::string& peer);

}  // namespace quiver::auth
