// Authentication over the wire: the cookbook's login flows and every refusal.
#include <latch>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <arrow/flight/client.h>

#include "quiver/auth/password.h"
#include "quiver/auth/users_file.h"

#include "auth/auth_testing.h"

namespace quiver {
namespace {

namespace flight = arrow::flight;
using flight::FlightStatusCode;
using testing::AuthServer;
using testing::CodeOf;
using testing::kPassword;
using testing::WithHeader;

std::string Base64(const std::string& text) {
  static const char* chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int value = 0, bits = -6;
  for (unsigned char c : text) {
    value = (value << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(chars[(value >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(chars[((value << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

void ExpectRefused(const arrow::Status& status, FlightStatusCode code,
                   const std::string& message) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(CodeOf(status), code) << status;
  EXPECT_NE(status.message().find(message), std::string::npos) << status;
}

class AuthLoginTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(testing::AuthServerOptions options) {
    server_.reset();
    auto server = AuthServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto client = server_->Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(*client);
  }

  arrow::Result<std::pair<std::string, std::string>> Login(const std::string& user,
                                                           const std::string& password) {
    return client_->AuthenticateBasicToken({}, user, password);
  }

  arrow::Status List(const flight::FlightCallOptions& call) {
    ARROW_ASSIGN_OR_RAISE(auto listing, client_->ListFlights(call, {}));
    return arrow::Status::OK();
  }

  std::unique_ptr<AuthServer> server_;
  std::unique_ptr<flight::FlightClient> client_;
};

TEST_F(AuthLoginTest, HandshakeReturnsBearerTokenThatAuthenticatesCalls) {
  auto token = Login("rita", kPassword);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->first, "authorization");
  EXPECT_TRUE(token->second.starts_with("Bearer qv1.")) << token->second;
  EXPECT_TRUE(List(WithHeader(*token)).ok());
  auto health = testing::RunAction(*client_, WithHeader(*token), "health_check", "");
  EXPECT_TRUE(health.ok()) << health;
}

TEST_F(AuthLoginTest, NoCredentials) {
  ExpectRefused(List({}), FlightStatusCode::Unauthenticated, "No credentials supplied");
  ExpectRefused(testing::RunAction(*client_, {}, "health_check", ""),
                FlightStatusCode::Unauthenticated, "No credentials supplied");
  ExpectRefused(List(WithHeader({"authorization", "Digest abc"})),
                FlightStatusCode::Unauthenticated, "No credentials supplied");
}

TEST_F(AuthLoginTest, WrongPasswordAndUnknownUser) {
  ExpectRefused(Login("rita", "wrong password").status(),
                FlightStatusCode::Unauthenticated, "Unknown user or invalid password");
  ExpectRefused(Login("nobody", kPassword).status(), FlightStatusCode::Unauthenticated,
                "Unknown user or invalid password");
  ExpectRefused(Login("rita", "").status(), FlightStatusCode::Unauthenticated,
                "Unknown user or invalid password");
  ExpectRefused(List(WithHeader({"authorization", "Basic !!notbase64"})),
                FlightStatusCode::Unauthenticated, "Unknown user or invalid password");
}

TEST_F(AuthLoginTest, BasicCredentialsOnAnyCall) {
  auto basic =
      WithHeader({"authorization", "Basic " + Base64(std::string("wendy:") + kPassword)});
  ASSERT_TRUE(testing::PutAs(*client_, basic, "direct", testing::SmallTable()).ok());
  EXPECT_EQ(testing::RowsOf(*client_, basic, "direct").ValueOr(-1), 3);
  auto wrong = WithHeader({"authorization", "Basic " + Base64("wendy:nope-nope")});
  ExpectRefused(List(wrong), FlightStatusCode::Unauthenticated,
                "Unknown user or invalid password");
}

TEST_F(AuthLoginTest, BasicWithoutPaddingAndSchemesInAnyCase) {
  // arrow-go's AuthenticateBasicToken sends unpadded base64 ("rita:" + kPassword is
  // not a multiple of 3 bytes, so the padded form ends in '=').
  std::string padded = Base64(std::string("rita:") + kPassword);
  ASSERT_EQ(padded.back(), '=');
  std::string unpadded = padded.substr(0, padded.find('='));
  ASSERT_TRUE(List(WithHeader({"authorization", "Basic " + unpadded})).ok());
  ASSERT_TRUE(List(WithHeader({"authorization", "basic " + padded})).ok());
  auto token = Login("rita", kPassword);
  ASSERT_TRUE(token.ok()) << token.status();
  std::string bearer = token->second.substr(token->second.find(' ') + 1);
  ASSERT_TRUE(List(WithHeader({"authorization", "bearer " + bearer})).ok());
  // Still refused: wrong password unpadded, and padding in the middle.
  ExpectRefused(List(WithHeader({"authorization", "Basic " + Base64("wendy:nope-nope!")
                                                                 .substr(0, 22)})),
                FlightStatusCode::Unauthenticated, "Unknown user or invalid password");
  ExpectRefused(List(WithHeader({"authorization", "Basic d2=uZHk6"})),
                FlightStatusCode::Unauthenticated, "Unknown user or invalid password");
}

TEST_F(AuthLoginTest, BadOrForgedTokens) {
  auto token = Login("rita", kPassword);
  auto wendy = Login("wendy", kPassword);
  ASSERT_TRUE(token.ok() && wendy.ok());
  std::string value = token->second;
  // wendy's payload (a writer) under rita's signature.
  std::string spliced =
      wendy->second.substr(0, wendy->second.rfind('.')) + value.substr(value.rfind('.'));
  for (std::string bad : {std::string("Bearer "), std::string("Bearer garbage"),
                          value.substr(0, value.size() - 2) + "xx", spliced}) {
    ExpectRefused(List(WithHeader({"authorization", bad})),
                  FlightStatusCode::Unauthenticated, "Invalid token");
  }
  // A token minted by another server (another key) is refused.
  auto other = AuthServer::Start({});
  ASSERT_TRUE(other.ok());
  auto other_client = (*other)->Connect();
  auto foreign = (*other_client)->AuthenticateBasicToken({}, "rita", kPassword);
  ASSERT_TRUE(foreign.ok());
  ExpectRefused(List(WithHeader(*foreign)), FlightStatusCode::Unauthenticated,
                "Invalid token");
}

TEST_F(AuthLoginTest, TokenExpires) {
  testing::AuthServerOptions options;
  options.authenticator.tokens.ttl = std::chrono::seconds(2);
  Start(std::move(options));
  auto token = Login("rita", kPassword);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(List(WithHeader(*token)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  ExpectRefused(List(WithHeader(*token)), FlightStatusCode::Unauthenticated,
                "Invalid token");
  // Logging in again works.
  auto again = Login("rita", kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(List(WithHeader(*again)).ok());
}

TEST_F(AuthLoginTest, LogoutRevokesTheToken) {
  auto first = Login("rita", kPassword);
  auto second = Login("rita", kPassword);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(testing::RunAction(*client_, WithHeader(*first), "logout", "").ok());
  ExpectRefused(List(WithHeader(*first)), FlightStatusCode::Unauthenticated,
                "Invalid token");
  ExpectRefused(testing::RunAction(*client_, WithHeader(*first), "logout", ""),
                FlightStatusCode::Unauthenticated, "Invalid token");
  // Other sessions of the same user go on.
  EXPECT_TRUE(List(WithHeader(*second)).ok());
}

TEST_F(AuthLoginTest, PasswordChangeInvalidatesOldTokens) {
  testing::AuthServerOptions options;
  auth::TokenKey key = auth::TokenKey::Generate();
  options.authenticator.tokens.keys = {key};
  auto users = testing::TestUsers();
  options.authenticator.users = users;
  Start(options);
  auto token = Login("rita", kPassword);
  auto wendy = Login("wendy", kPassword);
  ASSERT_TRUE(token.ok() && wendy.ok());
  // Restart with the same key, rita's password changed: her old token is refused,
  // wendy's still works.
  users[0].password_hash =
      auth::HashPassword("a brand new one", auth::PasswordHashOptions::ForTesting())
          .ValueOrDie();
  testing::AuthServerOptions restarted;
  restarted.authenticator.tokens.keys = {key};
  restarted.authenticator.users = users;
  Start(restarted);
  EXPECT_TRUE(List(WithHeader(*wendy)).ok());
  ExpectRefused(List(WithHeader(*token)), FlightStatusCode::Unauthenticated,
                "Invalid token");
  auto fresh = Login("rita", "a brand new one");
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(List(WithHeader(*fresh)).ok());
}

TEST_F(AuthLoginTest, UsersFileChangesApplyWithoutRestart) {
  testing::TempDir dir;
  std::string path = dir.path() + "/users.json";
  auto users = testing::TestUsers();
  ASSERT_TRUE(auth::WriteUsersFile(path, users).ok());
  auth::UserDirectoryOptions directory;
  directory.path = path;
  directory.check_interval = std::chrono::milliseconds(0);
  testing::AuthServerOptions options;
  options.authenticator.directory = auth::UserDirectory::Open(directory).ValueOrDie();
  Start(std::move(options));
  auto rita = Login("rita", kPassword);
  auto wendy = Login("wendy", kPassword);
  ASSERT_TRUE(rita.ok() && wendy.ok());
  // Remove rita, change wendy's password, add a new user: as `quiverd user` does.
  users.erase(users.begin());
  users[0].password_hash =
      auth::HashPassword("wendy's new one", auth::PasswordHashOptions::ForTesting())
          .ValueOrDie();
  auth::UserRecord nina = users[0];
  nina.name = "nina";
  users.push_back(nina);
  ASSERT_TRUE(auth::WriteUsersFile(path, users).ok());
  ExpectRefused(List(WithHeader(*rita)), FlightStatusCode::Unauthenticated,
                "Invalid token");
  ExpectRefused(List(WithHeader(*wendy)), FlightStatusCode::Unauthenticated,
                "Invalid token");
  ExpectRefused(Login("rita", kPassword).status(), FlightStatusCode::Unauthenticated,
                "Unknown user or invalid password");
  auto fresh = Login("wendy", "wendy's new one");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(List(WithHeader(*fresh)).ok());
  EXPECT_TRUE(Login("nina", "wendy's new one").ok());
}

TEST_F(AuthLoginTest, TokensOfASharedKeyWorkOnEveryNode) {
  auth::TokenKey key = auth::TokenKey::Generate();
  auto users = testing::TestUsers();
  testing::AuthServerOptions options;
  options.authenticator.tokens.keys = {key};
  options.authenticator.users = users;
  Start(options);
  auto token = Login("rita", kPassword);
  ASSERT_TRUE(token.ok());
  auto node2 = AuthServer::Start(options);
  ASSERT_TRUE(node2.ok());
  auto client2 = (*node2)->Connect();
  ASSERT_TRUE(client2.ok());
  EXPECT_TRUE((*client2)->ListFlights(WithHeader(*token), {}).ok());
}

TEST_F(AuthLoginTest, RepeatedFailuresAreThrottled) {
  testing::AuthServerOptions options;
  options.authenticator.login.user_free_failures = 3;
  options.authenticator.login.base_delay = std::chrono::seconds(30);
  Start(std::move(options));
  for (int i = 0; i < 3; ++i) {
    ExpectRefused(Login("rita", "wrong password").status(),
                  FlightStatusCode::Unauthenticated, "Unknown user or invalid password");
  }
  // Locked out now, even with the right password: refused before hashing.
  ExpectRefused(Login("rita", kPassword).status(), FlightStatusCode::Unauthenticated,
                "Too many failed logins");
  // Another user is not affected.
  EXPECT_TRUE(Login("wendy", kPassword).ok());
}

TEST_F(AuthLoginTest, ConcurrentLoginsAreBounded) {
  // Real (interactive) hashes: one verification takes tens of milliseconds.
  auto users = testing::TestUsers();
  users[0].password_hash =
      auth::HashPassword(kPassword, auth::PasswordHashOptions::Defaults()).ValueOrDie();
  testing::AuthServerOptions options;
  options.authenticator.users = users;
  options.authenticator.login.max_concurrent = 1;
  options.authenticator.login.max_wait = std::chrono::milliseconds(1);
  Start(std::move(options));
  constexpr int kClients = 6;
  std::vector<arrow::Status> results(kClients);
  std::vector<std::thread> threads;
  std::latch connected(kClients);
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto client = server_->Connect();
      connected.arrive_and_wait();  // then all log in at once
      results[i] = client.ok()
                       ? (*client)->AuthenticateBasicToken({}, "rita", kPassword).status()
                       : client.status();
    });
  }
  for (auto& thread : threads) thread.join();
  int ok = 0, saturated = 0;
  for (const auto& status : results) {
    if (status.ok()) ++ok;
    if (CodeOf(status) == FlightStatusCode::Unavailable &&
        status.message().find("Too many logins in progress") != std::string::npos) {
      ++saturated;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(saturated, 1);
  EXPECT_EQ(ok + saturated, kClients);
}

TEST_F(AuthLoginTest, SecretsNeverReachLogsOrErrors) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);

  std::vector<std::string> errors;
  auto token = Login("wendy", kPassword);
  ASSERT_TRUE(token.ok());
  auto call = WithHeader(*token);
  ASSERT_TRUE(testing::PutAs(*client_, call, "d", testing::SmallTable()).ok());
  errors.push_back(Login("wendy", "wrong password").status().ToString());
  errors.push_back(Login(kPassword, kPassword).status().ToString());
  auto tampered = token->second;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  errors.push_back(List(WithHeader({"authorization", tampered})).ToString());
  auto rita = Login("rita", kPassword);
  ASSERT_TRUE(rita.ok());
  errors.push_back(
      testing::RunAction(*client_, WithHeader(*rita), "drop_dataset", "d").ToString());
  ASSERT_TRUE(testing::RunAction(*client_, call, "logout", "").ok());
  errors.push_back(List(call).ToString());
  spdlog::set_default_logger(previous);

  std::string log = captured.str();
  EXPECT_NE(log.find("auth: login user=wendy"), std::string::npos) << log;
  std::string token_value = token->second.substr(std::string("Bearer ").size());
  std::vector<std::string> secrets = {token_value, tampered.substr(7), kPassword,
                                      rita->second.substr(7)};
  for (const auto& user : testing::TestUsers()) secrets.push_back(user.password_hash);
  for (const auto& secret : secrets) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret in the log:\n" << log;
    for (const auto& error : errors)
      EXPECT_EQ(error.find(secret), std::string::npos) << error;
  }
  // The users' real hashes (those of this server) never show either.
  EXPECT_EQ(log.find("$argon2id$"), std::string::npos);
}

}  // namespace
}  // namespace quiver
