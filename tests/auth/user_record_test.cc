#include "quiver/auth/user_record.h"

#include <gtest/gtest.h>

#include "quiver/auth/role.h"

namespace quiver::auth {
namespace {

store::DatasetName Name(const char* text) {
  return store::DatasetName::Parse(text).ValueOrDie();
}

TEST(UserRecordTest, NoGrantsCoversEverything) {
  UserRecord user;
  EXPECT_TRUE(user.Covers(Name("anything/at/all")));
}

TEST(UserRecordTest, GrantsMatchWholeSegments) {
  UserRecord user;
  user.grants = {Name("sales"), Name("team/a")};
  EXPECT_TRUE(user.Covers(Name("sales")));
  EXPECT_TRUE(user.Covers(Name("sales/2024")));
  EXPECT_TRUE(user.Covers(Name("team/a/x")));
  EXPECT_FALSE(user.Covers(Name("salesforce")));
  EXPECT_FALSE(user.Covers(Name("team")));
  EXPECT_FALSE(user.Covers(Name("team/ab")));
  EXPECT_FALSE(user.Covers(Name("other")));
}

TEST(UserRecordTest, UserNames) {
  EXPECT_TRUE(ValidateUserName("alice").ok());
  EXPECT_TRUE(ValidateUserName("a.b-c_d@example.com").ok());
  EXPECT_FALSE(ValidateUserName("").ok());
  EXPECT_FALSE(ValidateUserName("with:colon").ok());
  EXPECT_FALSE(ValidateUserName("with space").ok());
  EXPECT_FALSE(ValidateUserName(std::string(65, 'a')).ok());
}

TEST(RoleTest, ParseAndOrder) {
  EXPECT_EQ(ParseRole("reader").ValueOrDie(), Role::kReader);
  EXPECT_EQ(ParseRole("writer").ValueOrDie(), Role::kWriter);
  EXPECT_EQ(ParseRole("admin").ValueOrDie(), Role::kAdmin);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_LT(Role::kReader, Role::kWriter);
  EXPECT_LT(Role::kWriter, Role::kAdmin);
}

}  // namespace
}  // namespace quiver::auth
