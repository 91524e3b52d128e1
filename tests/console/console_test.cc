// Unit tests of the console's pieces that need no HTTP server: cookies, the mapping of
// errors to HTTP statuses, CSRF tokens, callers authorized by the Flight authorizer,
// and column statistics from manifests.
#include <gtest/gtest.h>

#include <arrow/compute/api.h>
#include <arrow/flight/types.h>
#include <arrow/type.h>

#include "quiver/auth/authenticator.h"
#include "quiver/auth/password.h"
#include "quiver/auth/role_authorizer_internal.h"
#include "quiver/console/caller_internal.h"
#include "quiver/console/dataset_json_internal.h"
#include "quiver/console/http_status_internal.h"

namespace quiver::console {
namespace {

namespace flight = arrow::flight;
using server::Operation;

constexpr char kPassword[] = "a long enough password";

std::shared_ptr<auth::Authenticator> TestAuthenticator() {
  auto make = [](std::string name, auth::Role role, std::vector<std::string> grants) {
    auth::UserRecord user;
    user.name = std::move(name);
    user.role = role;
    user.password_hash =
        auth::HashPassword(kPassword, auth::PasswordHashOptions::ForTesting())
            .ValueOrDie();
    for (const auto& grant : grants) {
      user.grants.push_back(store::DatasetName::Parse(grant).ValueOrDie());
    }
    return user;
  };
  auth::AuthenticatorOptions options;
  options.users = {make("rita", auth::Role::kReader, {}),
                   make("wendy", auth::Role::kWriter, {"team"})};
  options.decoy_hash = auth::PasswordHashOptions::ForTesting();
  return auth::Authenticator::Make(std::move(options)).ValueOrDie();
}

httplib::Request RequestWithCookie(const std::string& token) {
  httplib::Request request;
  request.remote_addr = "127.0.0.1";
  request.remote_port = 5555;
  if (!token.empty()) {
    request.headers.emplace("Cookie", "theme=dark; quiver_session=" + token + "; x=1");
  }
  return request;
}

TEST(FindCookie, FindsTheNamedCookieOnly) {
  EXPECT_EQ(FindCookie("a=1; quiver_session=qv1.x.y; b=2", "quiver_session"), "qv1.x.y");
  EXPECT_EQ(FindCookie("quiver_session=first;quiver_session=second", "quiver_session"),
            "first");
  EXPECT_EQ(FindCookie("xquiver_session=1; quiver_sessionx=2", "quiver_session"), "");
  EXPECT_EQ(FindCookie("", "quiver_session"), "");
  EXPECT_EQ(FindCookie("quiver_session", "quiver_session"), "");
}

TEST(HttpStatusOf, UsesTheErrorClassesOfFlight) {
  EXPECT_EQ(HttpStatusOf(
                flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated, "x")),
            401);
  EXPECT_EQ(
      HttpStatusOf(flight::MakeFlightError(flight::FlightStatusCode::Unauthorized, "x")),
      403);
  EXPECT_EQ(
      HttpStatusOf(flight::MakeFlightError(flight::FlightStatusCode::Unavailable, "x")),
      503);
  EXPECT_EQ(HttpStatusOf(arrow::Status::KeyError("x")), 404);
  EXPECT_EQ(HttpStatusOf(arrow::Status::Invalid("x")), 400);
  EXPECT_EQ(HttpStatusOf(arrow::Status::AlreadyExists("x")), 409);
  EXPECT_EQ(HttpStatusOf(arrow::Status::CapacityError("x")), 503);
  EXPECT_EQ(HttpStatusOf(arrow::Status::IOError("x")), 500);
}

TEST(Sessions, WithoutAuthenticationEveryoneMayDoEverything) {
  Sessions sessions(nullptr, nullptr, false);
  auto caller = sessions.Resolve(RequestWithCookie(""));
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->principal(), nullptr);
  EXPECT_TRUE(caller->Allowed(Operation::kDropDataset, nullptr));
}

TEST(Sessions, CsrfTokensDifferBySessionAndAreChecked) {
  Sessions sessions(nullptr, nullptr, false);
  Sessions other(nullptr, nullptr, false);
  EXPECT_EQ(sessions.CsrfToken("a"), sessions.CsrfToken("a"));
  EXPECT_NE(sessions.CsrfToken("a"), sessions.CsrfToken("b"));
  EXPECT_NE(sessions.CsrfToken("a"), other.CsrfToken("a"));  // a key per process
  EXPECT_EQ(sessions.CsrfToken("a").size(), 64u);

  httplib::Request request = RequestWithCookie("");
  EXPECT_EQ(HttpStatusOf(sessions.CheckCsrf(request, "a")), 403);
  request.headers.emplace(Sessions::kCsrfHeader, sessions.CsrfToken("b"));
  EXPECT_EQ(HttpStatusOf(sessions.CheckCsrf(request, "a")), 403);
  EXPECT_TRUE(sessions.CheckCsrf(request, "b").ok());
}

TEST(Sessions, CallersAreAuthorizedByTheFlightAuthorizer) {
  Sessions sessions(TestAuthenticator(), auth::MakeRoleAuthorizer(), true);
  httplib::Request anonymous = RequestWithCookie("");
  EXPECT_EQ(HttpStatusOf(sessions.Resolve(anonymous).status()), 401);
  EXPECT_EQ(HttpStatusOf(sessions.Resolve(RequestWithCookie("qv1.forged.mac")).status()),
            401);

  httplib::Response response;
  EXPECT_EQ(HttpStatusOf(sessions.Login("rita", "wrong", anonymous, response).status()),
            401);
  auto rita = sessions.Login("rita", kPassword, anonymous, response);
  ASSERT_TRUE(rita.ok()) << rita.status().ToString();
  std::string cookie = response.get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Secure"), std::string::npos);

  // The cookie's token authenticates the next request, as the same reader.
  auto again = sessions.Resolve(RequestWithCookie(rita->token()));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_NE(again->principal(), nullptr);
  EXPECT_EQ(again->principal()->user, "rita");
  auto name = store::DatasetName::Parse("other").ValueOrDie();
  EXPECT_TRUE(again->Allowed(Operation::kDoGet, &name));
  auto refused = again->Authorize(Operation::kDropDataset, &name);
  EXPECT_EQ(HttpStatusOf(refused), 403);
  EXPECT_NE(refused.message().find("role reader"), std::string::npos);

  httplib::Response wendy_response;
  auto wendy = sessions.Login("wendy", kPassword, anonymous, wendy_response);
  ASSERT_TRUE(wendy.ok());
  auto team = store::DatasetName::Parse("team/a").ValueOrDie();
  EXPECT_TRUE(wendy->Allowed(Operation::kRestoreVersion, &team));
  EXPECT_EQ(HttpStatusOf(wendy->Authorize(Operation::kDoGet, &name)), 403);  // grants

  // Logout revokes the token: the cookie no longer works.
  httplib::Response logout;
  ASSERT_TRUE(sessions.Logout(*again, logout).ok());
  EXPECT_NE(logout.get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(HttpStatusOf(sessions.Resolve(RequestWithCookie(rita->token())).status()),
            401);
}

store::DatasetInfo InfoWithParts(std::vector<store::PartInfo> parts) {
  auto manifest = std::make_shared<store::Manifest>();
  manifest->dataset = "d";
  manifest->version = 1;
  manifest->schema = arrow::schema(
      {arrow::field("x", arrow::int64()), arrow::field("s", arrow::utf8())});
  manifest->parts = std::move(parts);
  return store::DatasetInfo::Of(store::DatasetName::Parse("d").ValueOrDie(), manifest);
}

store::PartInfo Part(int64_t rows, std::vector<store::ColumnStats> stats) {
  store::PartInfo part;
  part.file = "p" + std::to_string(rows);
  part.num_rows = rows;
  part.stats = std::move(stats);
  return part;
}

TEST(ColumnStatsJson, CombinesThePartsAsTheColumnsType) {
  ASSERT_TRUE(arrow::compute::Initialize().ok());  // min_max, as quiverd does at start
  auto info = InfoWithParts({Part(10, {{"x", 1, "9", "100"}, {"s", 0, "b", "q"}}),
                             Part(5, {{"x", 2, "-3", "20"}, {"s", 1, "a", "c"}})});
  auto json = ColumnStatsJson(info);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["name"], "x");
  EXPECT_EQ(json[0]["nulls"], 3);
  EXPECT_EQ(json[0]["min"], "-3");  // as integers, not as text ("100" < "20")
  EXPECT_EQ(json[0]["max"], "100");
  EXPECT_EQ(json[1]["min"], "a");
  EXPECT_EQ(json[1]["max"], "q");
}

TEST(ColumnStatsJson, UnknownWhenAPartHasNoStatistics) {
  auto info = InfoWithParts({Part(10, {{"x", 0, "1", "2"}}), Part(5, {})});
  auto json = ColumnStatsJson(info);
  EXPECT_TRUE(json[0]["nulls"].is_null());
  EXPECT_TRUE(json[0]["min"].is_null());
  // A part whose values are all null has no min/max and changes nothing.
  info = InfoWithParts({Part(10, {{"x", 0, "1", "2"}}), Part(5, {{"x", 5, {}, {}}})});
  json = ColumnStatsJson(info);
  EXPECT_EQ(json[0]["nulls"], 5);
  EXPECT_EQ(json[0]["max"], "2");
}

}  // namespace
}  // namespace quiver::console
