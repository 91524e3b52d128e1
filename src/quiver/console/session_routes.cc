#include "quiver/auth/authenticator.h"
#include "quiver/auth/role.h"
#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"

namespace quiver::console {
namespace {

using server::Operation;

/// What the page needs to know of its caller.
nlohmann::json SessionJson(const Sessions& sessions, const Caller* caller) {
  nlohmann::json json = {{"auth", sessions.enabled()}, {"authenticated", false}};
  const auth::Principal* principal = caller ? caller->principal() : nullptr;
  if (caller != nullptr && (!sessions.enabled() || principal != nullptr)) {
    json["authenticated"] = true;
    if (principal != nullptr) {
      json["user"] = principal->user;
      json["role"] = std::string(auth::RoleName(principal->role));
      nlohmann::json grants = nlohmann::json::array();
      for (const auto& grant : principal->grants) grants.push_back(grant.ToString());
      json["grants"] = grants;
    }
    // Whether the writer's actions exist for this caller at all (each dataset is
    // decided again on its own page).
    json["writer"] = caller->Allowed(Operation::kDropDataset, nullptr);
  }
  json["csrf"] = sessions.CsrfToken(caller ? caller->token() : std::string());
  return json;
}

}  // namespace

void AddSessionRoutes(httplib::Server& server, const RouteContext& context) {
  auto sessions = context.sessions;
  server.Get("/api/session", [sessions](const httplib::Request& request,
                                        httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    auto caller = sessions->Resolve(request);
    SendJson(response, Dump(SessionJson(*sessions, caller.ok() ? &*caller : nullptr)));
  });

  server.Post("/api/login", [sessions](const httplib::Request& request,
                                       httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    // The CSRF token of the page's session: none, or (logging in again) the current.
    auto current = sessions->Resolve(request);
    auto status = sessions->CheckCsrf(request, current.ok() ? current->token() : "");
    if (status.ok()) {
      status = [&]() -> arrow::Status {
        ARROW_ASSIGN_OR_RAISE(auto body, JsonBody(request));
        ARROW_ASSIGN_OR_RAISE(auto user, StringField(body, "user"));
        ARROW_ASSIGN_OR_RAISE(auto password, StringField(body, "password"));
        ARROW_ASSIGN_OR_RAISE(auto caller,
                              sessions->Login(user, password, request, response));
        SendJson(response, Dump(SessionJson(*sessions, &caller)));
        return arrow::Status::OK();
      }();
    }
    if (!status.ok()) SendError(response, status);
  });

  server.Post("/api/logout",
              Api(context, /*state_change=*/true,
                  [sessions](const httplib::Request&, httplib::Response& response,
                             const Caller& caller) {
                    ARROW_RETURN_NOT_OK(sessions->Logout(caller, response));
                    SendJson(response, Dump(SessionJson(*sessions, nullptr)));
                    return arrow::Status::OK();
                  }));
}

}  // namespace quiver::console
