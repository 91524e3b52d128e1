#pragma once

#include <array>
#include <string>
#include <vector>

#include <arrow/result.h>

namespace quiver::auth {

/// \brief A 256-bit HMAC key that signs or verifies session tokens.
struct TokenKey {
  std::array<unsigned char, 32> bytes{};
  /// Short public identifier carried in tokens (hex of a hash of the key).
  std::string id;

  /// \brief A key from its 32 bytes (computes `id`).
  static TokenKey FromBytes(const std::array<unsigned char, 32>& bytes);
  /// \brief A fresh random key.
  static TokenKey Generate();
};

/// \brief Read a token key file: one key per line as 64 hex digits (e.g. the output of
/// `openssl rand -hex 32`); blank lines and lines starting with '#' are ignored. The
/// first key signs new tokens; all keys verify (rotation: put the new key first, keep
/// the old one until the tokens it signed have expired, then remove it).
///
/// \return Invalid if the file is group- or world-accessible, holds no key or a
///         malformed line (the message never shows a key); IOError if unreadable.
arrow::Result<std::vector<TokenKey>> ReadTokenKeyFile(const std::string& path);

}  // namespace quiver::auth
