#include "quiver/auth/authenticator.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <arrow/flight/types.h>

namespace quiver::auth {
namespace {

using arrow::flight::FlightStatusCode;
using arrow::flight::MakeFlightError;

arrow::Status Unauthenticated(const char* message) {
  return MakeFlightError(FlightStatusCode::Unauthenticated, message);
}

/// A name is only logged when it names a user: people type passwords in the user
/// field, and an unknown name may be one.
constexpr char kUnknownName[] = "<unknown>";

}  // namespace

bool Principal::Covers(const store::DatasetName& dataset) const {
  return GrantsCover(grants, dataset);
}

std::string PeerHost(const std::string& peer) {
  auto colon = peer.rfind(':');
  auto bracket = peer.rfind(']');
  if (colon == std::string::npos || colon == peer.find(':')) return peer;
  if (bracket != std::string::npos && colon < bracket) return peer;
  return peer.substr(0, colon);
}

Authenticator::Authenticator(std::shared_ptr<UserDirectory> users,
                             std::shared_ptr<TokenService> tokens,
                             LoginGuardOptions login, std::string decoy_hash)
    : users_(std::move(users)),
      tokens_(std::move(tokens)),
      guard_(std::move(login)),
      decoy_hash_(std::move(decoy_hash)) {}

arrow::Result<std::shared_ptr<Authenticator>> Authenticator::Make(
    AuthenticatorOptions options) {
  ARROW_ASSIGN_OR_RAISE(auto tokens, TokenService::Make(std::move(options.tokens)));
  unsigned char random[16];
  randombytes_buf(random, sizeof(random));
  ARROW_ASSIGN_OR_RAISE(
      auto decoy,
      HashPassword(std::string_view(reinterpret_cast<char*>(random), sizeof(random)),
                   options.decoy_hash));
  auto users = options.directory ? std::move(options.directory)
                                 : UserDirectory::MakeFixed(std::move(options.users));
  return std::shared_ptr<Authenticator>(new Authenticator(
      std::move(users), std::move(tokens), options.login, std::move(decoy)));
}

Principal Authenticator::PrincipalOf(const UserRecord& user) {
  Principal principal;
  principal.user = user.name;
  principal.role = user.role;
  principal.grants = user.grants;
  return principal;
}

arrow::Result<Principal> Authenticator::LoginBasic(std::string_view credentials,
                                                   const std::string& peer) {
  // user:password of at most 64 + 1 + kMaxPasswordBytes bytes, base64-encoded.
  constexpr size_t kMaxEncoded = (64 + 1 + kMaxPasswordBytes + 2) / 3 * 4;
  std::string decoded(credentials.size(), '\0');
  size_t length = 0;
  auto decode = [&](int variant) {
    return sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()),
                             decoded.size(), credentials.data(), credentials.size(),
                             nullptr, &length, nullptr, variant) == 0;
  };
  // RFC 7617 pads; Go's Flight client (arrow-go AuthenticateBasicToken) does not.
  if (credentials.size() > kMaxEncoded || !(decode(sodium_base64_VARIANT_ORIGINAL) ||
                                            decode(sodium_base64_VARIANT_ORIGINAL_NO_PADDING))) {
    return Unauthenticated(kBadLogin);
  }
  decoded.resize(length);
  auto colon = decoded.find(':');
  if (colon == std::string::npos || colon + 1 == decoded.size()) {
    sodium_memzero(decoded.data(), decoded.size());
    return Unauthenticated(kBadLogin);
  }
  std::string user = decoded.substr(0, colon);
  auto result = Login(user, std::string_view(decoded).substr(colon + 1), peer);
  sodium_memzero(decoded.data(), decoded.size());
  return result;
}

arrow::Result<Principal> Authenticator::Login(const std::string& user,
                                              std::string_view password,
                                              const std::string& peer) {
  const std::string host = PeerHost(peer);
  auto record = users_->Find(user);
  const std::string logged = record != nullptr ? user : kUnknownName;
  if (password.empty() || password.size() > kMaxPasswordBytes ||
      !ValidateUserName(user).ok()) {
    spdlog::warn("auth: login refused user={} peer={} reason=malformed", logged, peer);
    guard_.RecordFailure(user, host);
    return Unauthenticated(kBadLogin);
  }
  auto allowed = guard_.CheckAllowed(user, host);
  if (!allowed.ok()) {
    spdlog::warn("auth: login refused user={} peer={} reason=throttled", logged, peer);
    return MakeFlightError(FlightStatusCode::Unauthenticated, allowed.message());
  }
  auto slot = guard_.Acquire();
  if (!slot.ok()) {
    spdlog::warn("auth: login refused user={} peer={} reason=saturated", logged, peer);
    return MakeFlightError(FlightStatusCode::Unavailable, slot.status().message());
  }
  // Unknown users cost one verification too, so timing does not tell who exists.
  bool ok =
      VerifyPassword(record != nullptr ? record->password_hash : decoy_hash_, password) &&
      record != nullptr;
  if (!ok) {
    guard_.RecordFailure(user, host);
    spdlog::warn("auth: login failed user={} peer={} reason={}", logged, peer,
                 record == nullptr ? "unknown user" : "wrong password");
    return Unauthenticated(kBadLogin);
  }
  guard_.RecordSuccess(user, host);
  Principal principal = PrincipalOf(*record);
  principal.token =
      tokens_->Issue(record->name, TokenService::Generation(record->password_hash));
  ARROW_ASSIGN_OR_RAISE(auto claims, tokens_->Verify(principal.token));
  principal.claims = std::move(claims);
  spdlog::info("auth: login user={} role={} peer={}", record->name,
               RoleName(record->role), peer);
  return principal;
}

arrow::Result<Principal> Authenticator::VerifyToken(std::string_view token) const {
  auto claims = tokens_->Verify(token);
  if (!claims.ok()) {
    spdlog::debug("auth: token refused: {}", claims.status().message());
    return Unauthenticated(kInvalidToken);
  }
  auto record = users_->Find(claims->user);
  if (record == nullptr ||
      TokenService::Generation(record->password_hash) != claims->generation) {
    spdlog::debug("auth: token refused: user removed or password changed");
    return Unauthenticated(kInvalidToken);
  }
  Principal principal = PrincipalOf(*record);
  principal.token = std::string(token);
  principal.claims = std::move(*claims);
  return principal;
}

arrow::Result<Principal> Authenticator::FromCertificate(
    const std::string& identity) const {
  auto record = users_->Find(identity);
  if (record == nullptr) {
    spdlog::warn("auth: the client certificate names no known user");
    return Unauthenticated(kBadLogin);
  }
  return PrincipalOf(*record);
}

arrow::Status Authenticator::Logout(const Principal& principal) {
  if (!principal.claims) {
    return arrow::Status::Invalid("logout needs a session token (log in first)");
  }
  ARROW_RETURN_NOT_OK(tokens_->Revoke(*principal.claims));
  spdlog::info("auth: logout user={}", principal.user);
  return arrow::Status::OK();
}

}  // namespace quiver::auth
