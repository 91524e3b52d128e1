#pragma once

#include <memory>
#include <string>

#include <httplib.h>

#include <arrow/flight/server.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/server/authorizer.h"
#include "quiver/store/model/dataset_name.h"

namespace quiver::auth {
class Authenticator;
struct Principal;
}  // namespace quiver::auth

namespace quiver::console {

/// \brief Who makes a console request, and what they may do.
///
/// Every decision is the server::Authorizer's, asked exactly as the Flight RPCs ask it:
/// through a call context that carries the principal the authentication middleware
/// made of the session token (the console keeps no authorization rules of its own).
/// Without authentication, every operation is allowed.
class Caller {
 public:
  /// \brief The caller of a service without authentication.
  static Caller Anonymous();

  /// \brief Whether `operation` on `dataset` (or on none) is allowed.
  /// \return OK, or the authorizer's refusal (PERMISSION_DENIED naming the operation).
  arrow::Status Authorize(server::Operation operation,
                          const store::DatasetName* dataset) const;
  bool Allowed(server::Operation operation, const store::DatasetName* dataset) const {
    return Authorize(operation, dataset).ok();
  }

  /// \brief Null for an anonymous caller.
  const auth::Principal* principal() const;
  /// \brief The session token ("" when anonymous).
  const std::string& token() const { return token_; }

 private:
  friend class Sessions;
  std::shared_ptr<arrow::flight::ServerCallContext> context_;
  std::shared_ptr<server::Authorizer> authorizer_;
  std::string token_;
};

/// \brief Session cookies and CSRF tokens on top of the token service.
///
/// The cookie `quiver_session` holds the session token a login minted (the same token
/// a Flight client gets): it expires with the token and logout revokes it. The CSRF
/// token of a session is a keyed hash of its session token (a key random per process),
/// sent by the page in the X-Quiver-CSRF header of every POST. Thread-safe.
class Sessions {
 public:
  static constexpr char kCookieName[] = "quiver_session";
  static constexpr char kCsrfHeader[] = "X-Quiver-CSRF";

  /// \param authenticator null: no authentication (every request is Anonymous()).
  Sessions(std::shared_ptr<auth::Authenticator> authenticator,
           std::shared_ptr<server::Authorizer> authorizer, bool secure_cookie);

  bool enabled() const { return authenticator_ != nullptr; }

  /// \brief The caller of `request`, from its session cookie.
  /// \return UNAUTHENTICATED ("No credentials supplied", "Invalid token") when
  ///         authentication is on and the cookie is missing, expired or revoked.
  arrow::Result<Caller> Resolve(const httplib::Request& request) const;

  /// \brief Refuse a state change whose X-Quiver-CSRF header is not the CSRF token of
  /// `session_token` (the caller's; "" for a request made before login).
  /// \return PERMISSION_DENIED saying so.
  arrow::Status CheckCsrf(const httplib::Request& request,
                          const std::string& session_token) const;

  /// \brief The CSRF token that goes with `session_token` ("" for no session).
  std::string CsrfToken(const std::string& session_token) const;

  /// \brief Log in; on success set the session cookie on `response`.
  /// \return the Authenticator's errors (UNAUTHENTICATED for a bad login, CapacityError
  ///         for a locked-out user or address, UNAVAILABLE when logins are saturated).
  arrow::Result<Caller> Login(const std::string& user, const std::string& password,
                              const httplib::Request& request,
                              httplib::Response& response) const;

  /// \brief Revoke the caller's token (when it has one) and clear the cookie.
  arrow::Status Logout(const Caller& caller, httplib::Response& response) const;

 private:
  arrow::Result<Caller> CallerOf(const std::string& token, const std::string& peer) const;

  std::shared_ptr<auth::Authenticator> authenticator_;
  std::shared_ptr<server::Authorizer> authorizer_;
  std::shared_ptr<arrow::flight::ServerMiddlewareFactory> middleware_;
  bool secure_cookie_;
  std::string csrf_key_;
};

/// \brief The value of cookie `name` in a Cookie header, or "".
std::string FindCookie(std::string_view header, std::string_view name);

}  // namespace quiver::console
