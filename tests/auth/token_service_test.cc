#include "quiver/auth/token_service.h"

#include <array>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sodium.h>

#include "auth_testing.h"

namespace quiver::auth {
namespace {

std::shared_ptr<TokenService> MakeService(TokenServiceOptions options = {}) {
  auto service = TokenService::Make(std::move(options));
  EXPECT_TRUE(service.ok()) << service.status();
  return *service;
}

TEST(TokenServiceTest, IssuedTokenVerifies) {
  auto service = MakeService();
  std::string token = service->Issue("alice", "gen1");
  EXPECT_TRUE(token.starts_with("qv1."));
  auto claims = service->Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user, "alice");
  EXPECT_EQ(claims->generation, "gen1");
  // 256 random bits, base64url without padding: 43 characters.
  EXPECT_EQ(claims->id.size(), 43u);
  EXPECT_GT(claims->expires_at,
            std::chrono::system_clock::now() + std::chrono::hours(11));
}

std::string Base64Url(std::string_view data) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    kVariant);
  out.resize(out.size() - 1);
  return out;
}

/// A token with any payload, signed with `key` as the service signs.
std::string SignPayload(const TokenKey& key, std::string_view payload) {
  std::string signed_part = "qv1." + Base64Url(payload);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size(), key.bytes.data());
  return signed_part + "." +
         Base64Url(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)));
}

// fuzz_token: an expiry beyond the clock's range overflowed (undefined behaviour) when
// converted; it is now a malformed payload. Only a holder of the key can sign one.
TEST(TokenServiceTest, ExpiryOutsideTheClockRangeIsMalformed) {
  std::array<unsigned char, 32> bytes{};
  bytes[0] = 7;
  TokenServiceOptions options;
  options.keys = {TokenKey::FromBytes(bytes)};
  auto service = MakeService(options);
  auto payload = [](const std::string& exp) {
    return R"({"kid":"k","sub":"alice","gen":"g","iat":0,"exp":)" + exp +
           R"(,"jti":"abc"})";
  };
  for (const char* exp : {"9223372036854775807", "-9223372036854775807", "-1"}) {
    auto claims = service->Verify(SignPayload(options.keys[0], payload(exp)));
    ASSERT_FALSE(claims.ok()) << exp;
    EXPECT_EQ(claims.status().message(), "malformed payload") << exp;
  }
  auto valid = service->Verify(SignPayload(options.keys[0], payload("4102444800000")));
  ASSERT_TRUE(valid.ok()) << valid.status();
  EXPECT_EQ(valid->user, "alice");
}

TEST(TokenServiceTest, TokensAreUnique) {
  auto service = MakeService();
  auto a = service->Verify(service->Issue("alice", "g"));
  auto b = service->Verify(service->Issue("alice", "g"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
}

TEST(TokenServiceTest, ForgedOrTamperedTokensFail) {
  auto service = MakeService();
  std::string token = service->Issue("alice", "g");
  auto dot = token.rfind('.');
  // Flip one character of the payload, then of the signature.
  for (size_t position : {size_t{6}, dot + 3}) {
    std::string tampered = token;
    tampered[position] = tampered[position] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(service->Verify(tampered).ok()) << position;
  }
  EXPECT_FALSE(service->Verify("").ok());
  EXPECT_FALSE(service->Verify("qv1.").ok());
  EXPECT_FALSE(service->Verify("qv1.e30.AAAA").ok());
  EXPECT_FALSE(service->Verify(std::string(10000, 'q')).ok());
  // A token of another key (another node without the shared key) is refused.
  auto other = MakeService();
  EXPECT_FALSE(service->Verify(other->Issue("alice", "g")).ok());
}

TEST(TokenServiceTest, ShortTtlExpires) {
  TokenServiceOptions options;
  options.ttl = std::chrono::seconds(2);
  auto service = MakeService(options);
  std::string token = service->Issue("alice", "g");
  EXPECT_TRUE(service->Verify(token).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto expired = service->Verify(token);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
}

TEST(TokenServiceTest, RevokedTokenFailsAndStateIsBounded) {
  TokenServiceOptions options;
  options.max_revoked = 2;
  auto service = MakeService(options);
  std::string a = service->Issue("alice", "g");
  auto claims = service->Verify(a);
  ASSERT_TRUE(claims.ok());
  ASSERT_TRUE(service->Revoke(*claims).ok());
  EXPECT_FALSE(service->Verify(a).ok());
  EXPECT_EQ(service->revoked_count(), 1u);
  ASSERT_TRUE(service->Revoke(*service->Verify(service->Issue("b", "g"))).ok());
  auto third = service->Verify(service->Issue("c", "g"));
  EXPECT_TRUE(service->Revoke(*third).IsCapacityError());
  EXPECT_EQ(service->revoked_count(), 2u);
}

TEST(TokenServiceTest, ExpiredRevocationsArePurged) {
  TokenServiceOptions options;
  options.ttl = std::chrono::seconds(1);
  options.max_revoked = 1;
  auto service = MakeService(options);
  auto first = service->Verify(service->Issue("a", "g"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(service->Revoke(*first).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(service->Revoke(*service->Verify(service->Issue("b", "g"))).ok());
  EXPECT_EQ(service->revoked_count(), 1u);
}

TEST(TokenServiceTest, KeyRotationKeepsOldTokensValid) {
  TokenKey old_key = TokenKey::Generate();
  TokenKey new_key = TokenKey::Generate();
  auto before = MakeService({std::chrono::hours(1), {old_key}, 10});
  std::string old_token = before->Issue("alice", "g");
  // The new key signs; the old one still verifies.
  auto after = MakeService({std::chrono::hours(1), {new_key, old_key}, 10});
  EXPECT_TRUE(after->Verify(old_token).ok());
  std::string new_token = after->Issue("alice", "g");
  EXPECT_FALSE(before->Verify(new_token).ok());
  // Once the old key is dropped, its tokens die.
  auto dropped = MakeService({std::chrono::hours(1), {new_key}, 10});
  EXPECT_FALSE(dropped->Verify(old_token).ok());
  EXPECT_TRUE(dropped->Verify(new_token).ok());
}

TEST(TokenServiceTest, GenerationDependsOnHash) {
  EXPECT_EQ(TokenService::Generation("h1"), TokenService::Generation("h1"));
  EXPECT_NE(TokenService::Generation("h1"), TokenService::Generation("h2"));
}

TEST(TokenKeyFileTest, ReadsKeysAndRefusesBadFiles) {
  testing::TempDir dir;
  std::string path = dir.path() + "/keys";
  {
    std::ofstream out(path);
    out << "# comment\n"
        << std::string(64, 'a') << "\n\n"
        << std::string(64, 'b') << "\n";
  }
  ::chmod(path.c_str(), 0644);
  auto keys = ReadTokenKeyFile(path);
  EXPECT_TRUE(keys.status().IsInvalid());
  EXPECT_NE(keys.status().message().find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  keys = ReadTokenKeyFile(path);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].bytes[0], 0xaa);
  EXPECT_NE((*keys)[0].id, (*keys)[1].id);
  {
    std::ofstream out(path);
    out << "tooshort\n";
  }
  keys = ReadTokenKeyFile(path);
  EXPECT_TRUE(keys.status().IsInvalid());
  EXPECT_EQ(keys.status().message().find("tooshort"), std::string::npos);
}

}  // namespace
}  // namespace quiver::auth
