#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

#include "quiver/auth/token_keys.h"

namespace quiver::auth {

/// \brief How session tokens are minted and checked.
struct TokenServiceOptions {
  /// How long a token stays valid after login.
  std::chrono::milliseconds ttl = std::chrono::hours(12);
  /// Signing and verification keys (the first signs). Empty: one random key made at
  /// start, so tokens die with the process and are not shared with other nodes.
  std::vector<TokenKey> keys;
  /// At most this many revoked, not yet expired tokens are remembered.
  size_t max_revoked = 100000;

  static TokenServiceOptions Defaults() { return {}; }
};

/// \brief What a valid token says.
struct TokenClaims {
  std::string user;
  /// Fingerprint of the user's password hash at login: a password change or a removal
  /// of the user invalidates the tokens minted before.
  std::string generation;
  /// 256 random bits (base64url), unique per token: what a revocation remembers.
  std::string id;
  std::chrono::system_clock::time_point expires_at;
};

/// \brief Self-contained, HMAC-signed session tokens.
///
/// A token is `qv1.<payload>.<mac>`: a base64url JSON payload (key id, user, password
/// generation, issue and expiry times, 256 random bits) and an HMAC-SHA-256 over it,
/// checked in constant time against every key before the payload is even decoded. Any quiverd holding the same key file verifies tokens
/// minted by another, so nodes need no shared session state. Revocations (logout) are
/// remembered by the node that received them until the token expires; see
/// docs/security.md for what that means with several nodes.
///
/// Thread-safe.
class TokenService {
 public:
  /// Tokens longer than this are refused without parsing.
  static constexpr size_t kMaxTokenBytes = 4096;

  static arrow::Result<std::shared_ptr<TokenService>> Make(TokenServiceOptions options);

  /// \brief Mint a token for `user` whose password fingerprint is `generation`.
  std::string Issue(const std::string& user, const std::string& generation) const;

  /// \brief Check a token's signature, expiry and revocation.
  /// \return the claims, or Invalid with a reason meant for the server log only (the
  ///         client is told "Invalid token"); the reason never quotes the token.
  arrow::Result<TokenClaims> Verify(std::string_view token) const;

  /// \brief Refuse the token of `claims` from now until it expires.
  /// \return CapacityError when max_revoked unexpired revocations are held.
  arrow::Status Revoke(const TokenClaims& claims);

  /// \brief Revocations currently remembered (expired ones are purged on Revoke).
  size_t revoked_count() const;

  std::chrono::milliseconds ttl() const { return options_.ttl; }

  /// \brief The generation fingerprint of a password hash.
  static std::string Generation(const std::string& password_hash);

 private:
  explicit TokenService(TokenServiceOptions options);

  std::string Sign(const TokenKey& key, std::string_view signed_part) const;

  TokenServiceOptions options_;
  mutable std::mutex mutex_;
  // token id -> expiry. REQUIRES: mutex_ held.
  std::map<std::string, std::chrono::system_clock::time_point> revoked_;
};

}  // namespace quiver::auth
