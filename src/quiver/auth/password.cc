#include "quiver/auth/password.h"

#include <sodium.h>

#include <arrow/status.h>

namespace quiver::auth {

PasswordHashOptions PasswordHashOptions::Defaults() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashOptions PasswordHashOptions::ForTesting() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

arrow::Status InitSodium() {
  if (sodium_init() < 0) return arrow::Status::IOError("libsodium failed to initialize");
  return arrow::Status::OK();
}

arrow::Status ValidateNewPassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return arrow::Status::Invalid("a password has ", kMinPasswordBytes, " to ",
                                  kMaxPasswordBytes, " bytes");
  }
  return arrow::Status::OK();
}

arrow::Result<std::string> HashPassword(std::string_view password,
                                        const PasswordHashOptions& options) {
  ARROW_RETURN_NOT_OK(InitSodium());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options.ops_limit,
                            options.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return arrow::Status::OutOfMemory("could not hash the password (argon2id needs ",
                                      options.mem_limit, " bytes)");
  }
  std::string hash(out);
  sodium_memzero(out, sizeof(out));
  return hash;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.size() >= crypto_pwhash_STRBYTES || !hash.starts_with("$argon2id$")) {
    return false;
  }
  if (InitSodium().ok() == false) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace quiver::auth
