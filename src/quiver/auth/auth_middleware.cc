#include "quiver/auth/auth_middleware.h"

#include <algorithm>
#include <cctype>

#include <arrow/flight/server.h>
#include <arrow/flight/types.h>

namespace quiver::auth {
namespace {

namespace flight = arrow::flight;

class AuthMiddleware : public flight::ServerMiddleware {
 public:
  explicit AuthMiddleware(Principal principal) : principal_(std::move(principal)) {}

  std::string name() const override { return "AuthMiddleware"; }

  void SendingHeaders(flight::AddCallHeaders* outgoing_headers) override {
    if (!principal_.token.empty()) {
      outgoing_headers->AddHeader("authorization", "Bearer " + principal_.token);
    }
  }

  void CallCompleted(const arrow::Status&) override {}

  Principal principal_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

class AuthMiddlewareFactory : public flight::ServerMiddlewareFactory {
 public:
  AuthMiddlewareFactory(std::shared_ptr<Authenticator> authenticator,
                        AuthMiddlewareOptions options)
      : authenticator_(std::move(authenticator)), options_(options) {}

  arrow::Status StartCall(
      const flight::CallInfo&, const flight::ServerCallContext& context,
      std::shared_ptr<flight::ServerMiddleware>* middleware) override {
    ARROW_ASSIGN_OR_RAISE(Principal principal, Authenticate(context));
    *middleware = std::make_shared<AuthMiddleware>(std::move(principal));
    return arrow::Status::OK();
  }

 private:
  arrow::Result<Principal> Authenticate(const flight::ServerCallContext& context) {
    std::string_view header;
    bool found = false;
    for (const auto& [key, value] : context.incoming_headers()) {
      if (EqualsIgnoreCase(key, "authorization")) {
        header = value;
        found = true;
        break;
      }
    }
    if (!found || header.empty()) {
      if (options_.user_from_certificate && !context.peer_identity().empty()) {
        return authenticator_->FromCertificate(context.peer_identity());
      }
      return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                     kNoCredentials);
    }
    auto space = header.find(' ');
    std::string_view type = header.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    // Schemes are case-insensitive (RFC 9110 11.1).
    if (EqualsIgnoreCase(type, "Basic")) {
      return authenticator_->LoginBasic(value, context.peer());
    }
    if (EqualsIgnoreCase(type, "Bearer")) return authenticator_->VerifyToken(value);
    return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                   kNoCredentials);
  }

  std::shared_ptr<Authenticator> authenticator_;
  AuthMiddlewareOptions options_;
};

}  // namespace

std::shared_ptr<flight::ServerMiddlewareFactory> MakeAuthMiddlewareFactory(
    std::shared_ptr<Authenticator> authenticator, AuthMiddlewareOptions options) {
  return std::make_shared<AuthMiddlewareFactory>(std::move(authenticator), options);
}

const Principal* GetPrincipal(const flight::ServerCallContext& context) {
  auto* middleware = context.GetMiddleware(kAuthMiddlewareKey);
  if (middleware == nullptr) return nullptr;
  return &static_cast<AuthMiddleware*>(middleware)->principal_;
}

}  // namespace quiver::auth
