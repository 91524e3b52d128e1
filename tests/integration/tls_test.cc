// TLS and mTLS: what connects and what is refused, with the development PKI made by
// scripts/make-dev-certs.sh (ctest fixture).
#include <gtest/gtest.h>

#include <arrow/flight/client.h>

#include "auth/auth_testing.h"

namespace quiver {
namespace {

namespace flight = arrow::flight;
using flight::FlightStatusCode;
using testing::AuthServer;
using testing::AuthServerOptions;
using testing::CodeOf;
using testing::kPassword;
using testing::ReadCert;
using testing::WithHeader;

AuthServerOptions Tls(std::string cert = "server.pem", std::string key = "server.key") {
  AuthServerOptions options;
  options.auth = false;
  options.tls_cert = std::move(cert);
  options.tls_key = std::move(key);
  return options;
}

AuthServerOptions Mtls() {
  auto options = Tls();
  options.tls_client_ca = "ca.pem";
  return options;
}

flight::FlightClientOptions ClientCert(const std::string& name) {
  auto options = flight::FlightClientOptions::Defaults();
  options.cert_chain = ReadCert(name + ".pem");
  options.private_key = ReadCert(name + ".key");
  return options;
}

flight::FlightCallOptions Quick(flight::FlightCallOptions call = {}) {
  call.timeout = flight::TimeoutDuration{10.0};
  return call;
}

/// A health check round trip: the first call is where TLS is negotiated.
arrow::Status Ping(const AuthServer& server, flight::FlightClientOptions options,
                   flight::FlightCallOptions call = {}) {
  ARROW_ASSIGN_OR_RAISE(auto client, server.Connect(std::move(options)));
  return testing::RunAction(*client, Quick(std::move(call)), "health_check", "");
}

std::unique_ptr<AuthServer> StartOrDie(AuthServerOptions options) {
  auto server = AuthServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

TEST(TlsTest, ClientTrustingTheCaUploadsAndDownloads) {
  auto server = StartOrDie(Tls());
  ASSERT_TRUE(server);
  auto client = server->Connect();
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(
      testing::PutAs(**client, Quick(), "AnimalData", testing::SmallTable()).ok());
  EXPECT_EQ(testing::RowsOf(**client, Quick(), "AnimalData").ValueOr(-1), 3);
}

TEST(TlsTest, PlaintextClientIsRefused) {
  auto server = StartOrDie(Tls());
  ASSERT_TRUE(server);
  auto location = flight::Location::ForGrpcTcp("localhost", server->service->port());
  auto client = flight::FlightClient::Connect(*location);
  ASSERT_TRUE(client.ok());
  auto status = testing::RunAction(**client, Quick(), "health_check", "");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(server->store->dataset_count(), 0u);
}

TEST(TlsTest, ClientTrustingAnotherCaIsRefused) {
  auto server = StartOrDie(Tls());
  ASSERT_TRUE(server);
  auto options = flight::FlightClientOptions::Defaults();
  options.tls_root_certs = ReadCert("other-ca.pem");
  auto status = Ping(*server, options);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CodeOf(status), FlightStatusCode::Unavailable) << status;
}

TEST(TlsTest, ServerWithExpiredCertificateIsRefused) {
  auto server = StartOrDie(Tls("expired-server.pem", "expired-server.key"));
  ASSERT_TRUE(server);
  auto status = Ping(*server, flight::FlightClientOptions::Defaults());
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CodeOf(status), FlightStatusCode::Unavailable) << status;
  // The same server with a valid certificate is reachable (the refusal is the date).
  auto valid = StartOrDie(Tls());
  ASSERT_TRUE(valid);
  EXPECT_TRUE(Ping(*valid, flight::FlightClientOptions::Defaults()).ok());
}

TEST(MtlsTest, ClientWithCertificateOfTheCaIsAccepted) {
  auto server = StartOrDie(Mtls());
  ASSERT_TRUE(server);
  auto status = Ping(*server, ClientCert("client"));
  EXPECT_TRUE(status.ok()) << status;
}

TEST(MtlsTest, ClientWithoutCertificateIsRefused) {
  auto server = StartOrDie(Mtls());
  ASSERT_TRUE(server);
  auto status = Ping(*server, flight::FlightClientOptions::Defaults());
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CodeOf(status), FlightStatusCode::Unavailable) << status;
}

TEST(MtlsTest, ClientCertificateOfAnotherCaIsRefused) {
  auto server = StartOrDie(Mtls());
  ASSERT_TRUE(server);
  EXPECT_FALSE(Ping(*server, ClientCert("other-client")).ok());
}

TEST(MtlsTest, ExpiredClientCertificateIsRefused) {
  auto server = StartOrDie(Mtls());
  ASSERT_TRUE(server);
  EXPECT_FALSE(Ping(*server, ClientCert("expired-client")).ok());
}

TEST(MtlsTest, LoginOverMtlsAndRolesApply) {
  auto options = Mtls();
  options.auth = true;
  auto server = StartOrDie(options);
  ASSERT_TRUE(server);
  auto client = server->Connect(ClientCert("client"));
  ASSERT_TRUE(client.ok());
  // A certificate alone is not a login when users come from the users file.
  EXPECT_EQ(CodeOf(testing::RunAction(**client, Quick(), "health_check", "")),
            FlightStatusCode::Unauthenticated);
  auto token = (*client)->AuthenticateBasicToken(Quick(), "wendy", kPassword);
  ASSERT_TRUE(token.ok()) << token.status();
  auto call = Quick(WithHeader(*token));
  ASSERT_TRUE(testing::PutAs(**client, call, "flows/a", testing::SmallTable()).ok());
  EXPECT_EQ(testing::RowsOf(**client, call, "flows/a").ValueOr(-1), 3);
  ASSERT_TRUE(testing::RunAction(**client, call, "drop_dataset", "flows/a").ok());
}

TEST(MtlsTest, CertificateNamesTheUser) {
  auto options = Mtls();
  options.auth = true;
  options.middleware.user_from_certificate = true;
  auto server = StartOrDie(options);
  ASSERT_TRUE(server);
  // The development client certificate has CN=client: a reader in TestUsers().
  auto client = server->Connect(ClientCert("client"));
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(testing::RunAction(**client, Quick(), "health_check", "").ok());
  auto denied = testing::PutAs(**client, Quick(), "x", testing::SmallTable());
  EXPECT_EQ(CodeOf(denied), FlightStatusCode::Unauthorized) << denied;
  EXPECT_NE(denied.message().find("user 'client'"), std::string::npos) << denied;
  EXPECT_EQ(server->store->dataset_count(), 0u);
}

}  // namespace
}  // namespace quiver
