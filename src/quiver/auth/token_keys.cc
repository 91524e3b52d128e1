#include "quiver/auth/token_keys.h"

#include <fstream>

#include <sodium.h>

#include <arrow/status.h>

#include "quiver/auth/password.h"
#include "quiver/auth/users_file.h"

namespace quiver::auth {

TokenKey TokenKey::FromBytes(const std::array<unsigned char, 32>& bytes) {
  TokenKey key;
  key.bytes = bytes;
  unsigned char digest[8];
  crypto_generichash(digest, sizeof(digest), bytes.data(), bytes.size(), nullptr, 0);
  char hex[sizeof(digest) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  key.id = hex;
  return key;
}

TokenKey TokenKey::Generate() {
  (void)InitSodium();
  std::array<unsigned char, 32> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  auto key = FromBytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

arrow::Result<std::vector<TokenKey>> ReadTokenKeyFile(const std::string& path) {
  ARROW_RETURN_NOT_OK(InitSodium());
  ARROW_RETURN_NOT_OK(CheckPrivateFile(path, "token key file"));
  std::ifstream in(path);
  if (!in) return arrow::Status::IOError("cannot read token key file '", path, "'");
  std::vector<TokenKey> keys;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    std::array<unsigned char, 32> bytes;
    size_t length = 0;
    if (line.size() != 64 ||
        sodium_hex2bin(bytes.data(), bytes.size(), line.data(), line.size(), nullptr,
                       &length, nullptr) != 0 ||
        length != bytes.size()) {
      return arrow::Status::Invalid("token key file '", path, "', line ", line_number,
                                    ": expected 64 hex digits (openssl rand -hex 32)");
    }
    keys.push_back(TokenKey::FromBytes(bytes));
    sodium_memzero(bytes.data(), bytes.size());
  }
  sodium_memzero(line.data(), line.size());
  if (keys.empty()) {
    return arrow::Status::Invalid("token key file '", path, "' holds no key");
  }
  return keys;
}

}  // namespace quiver::auth
