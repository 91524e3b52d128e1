#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver::auth {

/// \brief Cost of the argon2id password hash (libsodium crypto_pwhash_str).
struct PasswordHashOptions {
  /// Passes over memory.
  uint64_t ops_limit = 0;
  /// Memory used by one hash or verification, in bytes.
  size_t mem_limit = 0;

  /// \brief libsodium's "interactive" level: 2 passes over 64 MiB.
  static PasswordHashOptions Defaults();
  /// \brief The cheapest parameters libsodium accepts. For tests only: it makes
  /// guessing passwords cheap.
  static PasswordHashOptions ForTesting();
};

/// Passwords are 8 to kMaxPasswordBytes bytes.
inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 1024;

/// \brief Initialize libsodium (idempotent, thread-safe).
/// \return IOError if libsodium cannot start (no entropy source).
arrow::Status InitSodium();

/// \brief Check a new password's length. \return Invalid stating the rule.
arrow::Status ValidateNewPassword(std::string_view password);

/// \brief Hash a password with argon2id and a fresh random salt.
/// \return the crypto_pwhash_str string (parameters and salt included), or
///         OutOfMemory when the memory limit cannot be allocated.
arrow::Result<std::string> HashPassword(std::string_view password,
                                        const PasswordHashOptions& options);

/// \brief Whether `password` matches `hash` (constant time for a given hash; costs one
/// argon2id computation with the parameters stored in `hash`). A malformed hash never
/// matches. Thread-safe.
bool VerifyPassword(const std::string& hash, std::string_view password);

}  // namespace quiver::auth
