#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "quiver/app/security_flags_internal.h"
#include "quiver/auth/users_file.h"

#include "auth/auth_testing.h"

namespace quiver::app {
namespace {

using std::chrono::milliseconds;

HostPort Loopback() { return {"127.0.0.1", 0}; }
HostPort Anywhere() { return {"0.0.0.0", 0}; }

class SecurityFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    users_ = dir_.path() + "/users.json";
    ASSERT_TRUE(auth::WriteUsersFile(users_, testing::TestUsers()).ok());
  }
  SecurityFlags Tls() {
    SecurityFlags flags;
    flags.tls_cert = testing::CertPath("server.pem");
    flags.tls_key = testing::CertPath("server.key");
    return flags;
  }

  testing::TempDir dir_;
  std::string users_;
  server::ServeOptions options_;
};

TEST_F(SecurityFlagsTest, LoopbackWithoutAnythingIsPlainAndOpen) {
  auto scheme = ApplySecurityFlags({}, Loopback(), &options_);
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  EXPECT_EQ(*scheme, "grpc");
  EXPECT_TRUE(options_.middleware.empty());
  EXPECT_EQ(options_.extensions.authorizer, nullptr);
}

TEST_F(SecurityFlagsTest, NonLoopbackNeedsAuthAndTls) {
  EXPECT_TRUE(ApplySecurityFlags({}, Anywhere(), &options_).status().IsInvalid());
  SecurityFlags auth_only;
  auth_only.users = users_;
  auto refused = ApplySecurityFlags(auth_only, Anywhere(), &options_);
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_NE(refused.status().message().find("--allow-insecure"), std::string::npos);
  EXPECT_TRUE(ApplySecurityFlags(Tls(), Anywhere(), &options_).status().IsInvalid());

  SecurityFlags both = Tls();
  both.users = users_;
  auto scheme = ApplySecurityFlags(both, Anywhere(), &options_);
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  EXPECT_EQ(*scheme, "grpc+tls");
  EXPECT_EQ(options_.listen.scheme(), "grpc+tls");
  EXPECT_NE(options_.extensions.authorizer, nullptr);
  EXPECT_NE(options_.auth_handler, nullptr);
}

TEST_F(SecurityFlagsTest, AllowInsecureOverridesWithAWarning) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured)));
  SecurityFlags flags;
  flags.allow_insecure = true;
  auto scheme = ApplySecurityFlags(flags, Anywhere(), &options_);
  spdlog::set_default_logger(previous);
  EXPECT_EQ(scheme.ValueOr(""), "grpc");
  EXPECT_NE(captured.str().find("[warning] quiverd: INSECURE: serving 0.0.0.0 without"),
            std::string::npos)
      << captured.str();
}

TEST_F(SecurityFlagsTest, InconsistentTlsFlags) {
  SecurityFlags cert_only;
  cert_only.tls_cert = testing::CertPath("server.pem");
  EXPECT_TRUE(ApplySecurityFlags(cert_only, Loopback(), &options_).status().IsInvalid());
  SecurityFlags ca_only;
  ca_only.tls_client_ca = testing::CertPath("ca.pem");
  EXPECT_TRUE(ApplySecurityFlags(ca_only, Loopback(), &options_).status().IsInvalid());
  SecurityFlags from_cert = Tls();
  from_cert.tls_client_user_from_cert = true;
  EXPECT_TRUE(ApplySecurityFlags(from_cert, Loopback(), &options_).status().IsInvalid());
  SecurityFlags not_pem = Tls();
  not_pem.tls_cert = users_;
  EXPECT_FALSE(ApplySecurityFlags(not_pem, Loopback(), &options_).ok());
}

TEST_F(SecurityFlagsTest, MtlsLoadsTheClientCa) {
  SecurityFlags flags = Tls();
  flags.tls_client_ca = testing::CertPath("ca.pem");
  ASSERT_TRUE(ApplySecurityFlags(flags, Loopback(), &options_).ok());
  EXPECT_EQ(options_.tls_client_ca, testing::ReadCert("ca.pem"));
}

TEST_F(SecurityFlagsTest, BadTokenTtl) {
  SecurityFlags flags;
  flags.users = users_;
  flags.token_ttl = "forever";
  EXPECT_TRUE(ApplySecurityFlags(flags, Loopback(), &options_).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::app
