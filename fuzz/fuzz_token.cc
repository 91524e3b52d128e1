// Session tokens: TokenService::Verify on arbitrary bytes. Random bytes never carry a
// valid MAC, so half the inputs (first byte odd) are taken as a payload and signed
// with the service's key first: that drives the payload decoding and JSON checks that
// only a holder of the key (or a bug) can reach.

#include <array>
#include <cstdio>

#include <sodium.h>

#include "quiver/auth/token_service.h"

#include "fuzz_util.h"

using quiver::auth::TokenKey;
using quiver::auth::TokenService;
using quiver::auth::TokenServiceOptions;

namespace {

std::string Base64Url(const unsigned char* data, size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);
  return out;
}

const TokenKey& Key() {
  static const TokenKey key = [] {
    std::array<unsigned char, 32> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i);
    return TokenKey::FromBytes(bytes);
  }();
  return key;
}

std::string SignedToken(std::string_view payload) {
  std::string signed_part =
      "qv1." +
      Base64Url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size(), Key().bytes.data());
  return signed_part + "." + Base64Url(mac, sizeof(mac));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::shared_ptr<TokenService> service = [] {
    TokenServiceOptions options;
    options.keys = {Key()};
    auto made = TokenService::Make(options);
    if (!made.ok()) std::abort();
    return *made;
  }();
  if (size == 0) return 0;
  std::string_view rest = quiver::fuzz::AsText(data + 1, size - 1);
  std::string token = (data[0] & 1) ? SignedToken(rest) : std::string(rest);
  auto claims = service->Verify(token);
  if (claims.ok()) {
    QUIVER_FUZZ_CHECK(data[0] & 1);  // only a signed token can be valid
    auto again = service->Verify(token);
    QUIVER_FUZZ_CHECK(again.ok() && again->user == claims->user);
  }
  // A token minted by the service always verifies (user names are printable ASCII,
  // as the users file requires).
  bool printable = size < 64;
  for (char c : rest) printable &= c >= 0x20 && c < 0x7f;
  if (printable) {
    std::string user(rest);
    auto minted = service->Verify(service->Issue(user, "gen"));
    QUIVER_FUZZ_CHECK(minted.ok() && minted->user == user);
  }
  return 0;
}
