#include "quiver/auth/token_service.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <arrow/status.h>

#include "quiver/auth/password.h"
#include "quiver/common/strict_json.h"

namespace quiver::auth {
namespace {

using Clock = std::chrono::system_clock;
using nlohmann::json;
constexpr std::string_view kPrefix = "qv1.";

std::string Base64Url(const unsigned char* data, size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool FromBase64Url(std::string_view text, std::string* out) {
  out->assign(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), out->size(),
                        text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  out->resize(length);
  return true;
}

int64_t ToMillis(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count();
}

}  // namespace

TokenService::TokenService(TokenServiceOptions options) : options_(std::move(options)) {}

arrow::Result<std::shared_ptr<TokenService>> TokenService::Make(
    TokenServiceOptions options) {
  ARROW_RETURN_NOT_OK(InitSodium());
  if (options.ttl <= std::chrono::milliseconds::zero()) {
    return arrow::Status::Invalid("the token lifetime must be positive");
  }
  if (options.keys.empty()) options.keys.push_back(TokenKey::Generate());
  return std::shared_ptr<TokenService>(new TokenService(std::move(options)));
}

std::string TokenService::Generation(const std::string& password_hash) {
  static constexpr char kContext[] = "quiver token generation";
  unsigned char key[crypto_generichash_KEYBYTES];
  crypto_generichash(key, sizeof(key), reinterpret_cast<const unsigned char*>(kContext),
                     sizeof(kContext) - 1, nullptr, 0);
  unsigned char digest[8];
  crypto_generichash(digest, sizeof(digest),
                     reinterpret_cast<const unsigned char*>(password_hash.data()),
                     password_hash.size(), key, sizeof(key));
  return Base64Url(digest, sizeof(digest));
}

std::string TokenService::Sign(const TokenKey& key, std::string_view signed_part) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size(), key.bytes.data());
  return Base64Url(mac, sizeof(mac));
}

std::string TokenService::Issue(const std::string& user,
                                const std::string& generation) const {
  const TokenKey& key = options_.keys.front();
  unsigned char id[32];
  randombytes_buf(id, sizeof(id));
  auto now = Clock::now();
  json payload = {{"kid", key.id},
                  {"sub", user},
                  {"gen", generation},
                  {"iat", ToMillis(now)},
                  {"exp", ToMillis(now + options_.ttl)},
                  {"jti", Base64Url(id, sizeof(id))}};
  std::string text = payload.dump();
  std::string signed_part =
      std::string(kPrefix) +
      Base64Url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return signed_part + "." + Sign(key, signed_part);
}

arrow::Result<TokenClaims> TokenService::Verify(std::string_view token) const {
  auto invalid = [](const char* reason) { return arrow::Status::Invalid(reason); };
  if (token.size() > kMaxTokenBytes || !token.starts_with(kPrefix)) {
    return invalid("not a quiver token");
  }
  auto dot = token.rfind('.');
  if (dot < kPrefix.size()) return invalid("not a quiver token");
  std::string_view signed_part = token.substr(0, dot);
  std::string mac;
  if (!FromBase64Url(token.substr(dot + 1), &mac) ||
      mac.size() != crypto_auth_hmacsha256_BYTES) {
    return invalid("malformed signature");
  }
  // The MAC is checked (against every key, in constant time) before any byte of the
  // payload is decoded or parsed: nothing unauthenticated reaches the JSON parser.
  bool authentic = false;
  for (const auto& key : options_.keys) {
    authentic |= crypto_auth_hmacsha256_verify(
                     reinterpret_cast<const unsigned char*>(mac.data()),
                     reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size(), key.bytes.data()) == 0;
  }
  if (!authentic) return invalid("bad signature or unknown key");
  std::string payload_text;
  if (!FromBase64Url(signed_part.substr(kPrefix.size()), &payload_text)) {
    return invalid("malformed payload");
  }
  // The expiry must fit the clock's range (nanoseconds from 1970 overflow in 2262):
  // converting a larger value was undefined behaviour (found by fuzz_token).
  constexpr int64_t kMaxExpiryMillis =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::duration::max())
          .count();
  auto payload = StrictJson::Parse(payload_text, "the payload", {});
  if (!payload.ok()) return invalid("malformed payload");
  auto user = payload->RequiredString("sub");
  auto generation = payload->RequiredString("gen");
  auto id = payload->RequiredString("jti");
  auto expiry_millis = payload->RequiredInteger("exp", 0, kMaxExpiryMillis);
  if (!user.ok() || !generation.ok() || !id.ok() || !expiry_millis.ok()) {
    return invalid("malformed payload");
  }
  TokenClaims claims;
  claims.user = std::move(*user);
  claims.generation = std::move(*generation);
  claims.id = std::move(*id);
  claims.expires_at = Clock::time_point(std::chrono::milliseconds(*expiry_millis));
  if (Clock::now() >= claims.expires_at) return invalid("expired");
  std::lock_guard<std::mutex> lock(mutex_);
  if (revoked_.count(claims.id) != 0) return invalid("revoked");
  return claims;
}

arrow::Status TokenService::Revoke(const TokenClaims& claims) {
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = revoked_.begin(); it != revoked_.end();) {
    it = it->second <= now ? revoked_.erase(it) : std::next(it);
  }
  if (claims.expires_at <= now) return arrow::Status::OK();
  if (revoked_.size() >= options_.max_revoked && revoked_.count(claims.id) == 0) {
    return arrow::Status::CapacityError("too many revoked sessions; retry later");
  }
  revoked_[claims.id] = claims.expires_at;
  return arrow::Status::OK();
}

size_t TokenService::revoked_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return revoked_.size();
}

}  // namespace quiver::auth
