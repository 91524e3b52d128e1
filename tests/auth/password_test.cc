#include "quiver/auth/password.h"

#include <gtest/gtest.h>

namespace quiver::auth {
namespace {

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("s3cret-enough", PasswordHashOptions::ForTesting());
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$")) << *hash;
  EXPECT_EQ(hash->find("s3cret-enough"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "s3cret-enough"));
  EXPECT_FALSE(VerifyPassword(*hash, "s3cret-enougH"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  auto a = HashPassword("same password", PasswordHashOptions::ForTesting());
  auto b = HashPassword("same password", PasswordHashOptions::ForTesting());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordTest, DefaultsAreLibsodiumInteractive) {
  auto options = PasswordHashOptions::Defaults();
  auto hash = HashPassword("interactive cost", options);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_NE(hash->find("m=65536,t=2,p=1"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "interactive cost"));
}

TEST(PasswordTest, MalformedHashesNeverMatch) {
  EXPECT_FALSE(VerifyPassword("", "anything"));
  EXPECT_FALSE(VerifyPassword("plaintext-password", "plaintext-password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$garbage", "garbage"));
  // argon2i (not id) hashes are refused too.
  EXPECT_FALSE(
      VerifyPassword("$argon2i$v=19$m=8,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA", "x"));
}

TEST(PasswordTest, NewPasswordLength) {
  EXPECT_FALSE(ValidateNewPassword("short").ok());
  EXPECT_TRUE(ValidateNewPassword("eight ch").ok());
  EXPECT_FALSE(ValidateNewPassword(std::string(kMaxPasswordBytes + 1, 'x')).ok());
}

}  // namespace
}  // namespace quiver::auth
