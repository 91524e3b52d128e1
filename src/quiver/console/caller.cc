#include <array>
#include <chrono>

#include <sodium.h>

#include <arrow/flight/middleware.h>
#include <arrow/flight/server_middleware.h>
#include <arrow/flight/types.h>

#include "quiver/auth/auth_middleware.h"
#include "quiver/auth/authenticator.h"
#include "quiver/console/caller_internal.h"

namespace quiver::console {
namespace {

namespace flight = arrow::flight;

/// A call context for the console's requests: what the authentication middleware and
/// the Authorizer read of a Flight call (headers, peer, the middleware's principal).
class ConsoleCallContext : public flight::ServerCallContext {
 public:
  ConsoleCallContext(std::string peer, std::string authorization)
      : peer_(std::move(peer)), authorization_(std::move(authorization)) {
    if (!authorization_.empty()) headers_.emplace("authorization", authorization_);
  }

  const std::string& peer_identity() const override { return identity_; }
  const std::string& peer() const override { return peer_; }
  void AddHeader(const std::string&, const std::string&) const override {}
  void AddTrailer(const std::string&, const std::string&) const override {}
  flight::ServerMiddleware* GetMiddleware(const std::string& key) const override {
    return key == auth::kAuthMiddlewareKey ? auth_.get() : nullptr;
  }
  bool is_cancelled() const override { return false; }
  const flight::CallHeaders& incoming_headers() const override { return headers_; }

  void set_auth(std::shared_ptr<flight::ServerMiddleware> auth) {
    auth_ = std::move(auth);
  }

 private:
  std::string identity_;
  std::string peer_;
  std::string authorization_;
  flight::CallHeaders headers_;
  std::shared_ptr<flight::ServerMiddleware> auth_;
};

std::string PeerOf(const httplib::Request& request) {
  return "http:" + request.remote_addr + ":" + std::to_string(request.remote_port);
}

std::string Cookie(const std::string& value, int64_t max_age_seconds, bool secure) {
  std::string cookie =
      std::string(Sessions::kCookieName) + "=" + value +
      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

std::string FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view item = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=') {
      return std::string(item.substr(name.size() + 1));
    }
  }
  return {};
}

Caller Caller::Anonymous() { return Caller(); }

arrow::Status Caller::Authorize(server::Operation operation,
                                const store::DatasetName* dataset) const {
  if (!authorizer_) return arrow::Status::OK();
  return authorizer_->Authorize(*context_, operation, dataset);
}

const auth::Principal* Caller::principal() const {
  return context_ ? auth::GetPrincipal(*context_) : nullptr;
}

Sessions::Sessions(std::shared_ptr<auth::Authenticator> authenticator,
                   std::shared_ptr<server::Authorizer> authorizer, bool secure_cookie)
    : authenticator_(std::move(authenticator)),
      authorizer_(std::move(authorizer)),
      secure_cookie_(secure_cookie) {
  if (authenticator_) middleware_ = auth::MakeAuthMiddlewareFactory(authenticator_);
  std::array<unsigned char, crypto_generichash_KEYBYTES> key;
  // 0, or 1 when already initialized (the auth layer does it first); -1 cannot
  // happen on Linux (it fails only without a source of randomness).
  [[maybe_unused]] int initialized = sodium_init();
  randombytes_buf(key.data(), key.size());
  csrf_key_.assign(reinterpret_cast<const char*>(key.data()), key.size());
}

arrow::Result<Caller> Sessions::CallerOf(const std::string& token,
                                         const std::string& peer) const {
  auto context = std::make_shared<ConsoleCallContext>(
      peer, token.empty() ? std::string() : "Bearer " + token);
  std::shared_ptr<flight::ServerMiddleware> middleware;
  // The Flight authentication middleware itself checks the token (signature, expiry,
  // revocation, the user's current password generation and role).
  ARROW_RETURN_NOT_OK(middleware_->StartCall(
      flight::CallInfo{flight::FlightMethod::DoAction}, *context, &middleware));
  context->set_auth(std::move(middleware));
  Caller caller;
  caller.context_ = std::move(context);
  caller.authorizer_ = authorizer_;
  caller.token_ = token;
  return caller;
}

arrow::Result<Caller> Sessions::Resolve(const httplib::Request& request) const {
  if (!enabled()) return Caller::Anonymous();
  std::string token = FindCookie(request.get_header_value("Cookie"), kCookieName);
  return CallerOf(token, PeerOf(request));
}

std::string Sessions::CsrfToken(const std::string& session_token) const {
  std::string message = "quiver-console-csrf:" + session_token;
  std::array<unsigned char, 32> mac;
  crypto_generichash(
      mac.data(), mac.size(), reinterpret_cast<const unsigned char*>(message.data()),
      message.size(), reinterpret_cast<const unsigned char*>(csrf_key_.data()),
      csrf_key_.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : mac) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

arrow::Status Sessions::CheckCsrf(const httplib::Request& request,
                                  const std::string& session_token) const {
  std::string expected = CsrfToken(session_token);
  std::string given = request.get_header_value(kCsrfHeader);
  if (given.size() != expected.size() ||
      sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return flight::MakeFlightError(
        flight::FlightStatusCode::Unauthorized,
        std::string("missing or wrong ") + kCsrfHeader +
            " header: state changes need the CSRF token of the session "
            "(GET /api/session)");
  }
  return arrow::Status::OK();
}

arrow::Result<Caller> Sessions::Login(const std::string& user,
                                      const std::string& password,
                                      const httplib::Request& request,
                                      httplib::Response& response) const {
  if (!enabled()) {
    return arrow::Status::Invalid(
        "this server has no users: there is nothing to log in to");
  }
  ARROW_ASSIGN_OR_RAISE(auto principal,
                        authenticator_->Login(user, password, PeerOf(request)));
  ARROW_ASSIGN_OR_RAISE(auto caller, CallerOf(principal.token, PeerOf(request)));
  int64_t max_age =
      std::chrono::duration_cast<std::chrono::seconds>(authenticator_->tokens().ttl())
          .count();
  response.set_header("Set-Cookie", Cookie(principal.token, max_age, secure_cookie_));
  return caller;
}

arrow::Status Sessions::Logout(const Caller& caller, httplib::Response& response) const {
  response.set_header("Set-Cookie", Cookie("", 0, secure_cookie_));
  const auth::Principal* principal = caller.principal();
  if (!enabled() || principal == nullptr || principal->token.empty()) {
    return arrow::Status::OK();
  }
  return authenticator_->Logout(*principal);
}

}  // namespace quiver::console
