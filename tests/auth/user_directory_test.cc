#include "quiver/auth/user_directory.h"

#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "quiver/auth/users_file.h"

#include "auth/auth_testing.h"

namespace quiver::auth {
namespace {

class UserDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/users.json";
    users_ = testing::TestUsers();
    ASSERT_TRUE(WriteUsersFile(path_, users_).ok());
    UserDirectoryOptions options;
    options.path = path_;
    options.check_interval = std::chrono::milliseconds(0);
    auto directory = UserDirectory::Open(options);
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = *directory;
  }

  testing::TempDir dir_;
  std::string path_;
  std::vector<UserRecord> users_;
  std::shared_ptr<UserDirectory> directory_;
};

TEST_F(UserDirectoryTest, FollowsTheFile) {
  ASSERT_NE(directory_->Find("rita"), nullptr);
  EXPECT_EQ(directory_->Find("nobody"), nullptr);
  EXPECT_EQ(directory_->loads(), 1);
  // Unchanged file: not read again.
  EXPECT_NE(directory_->Find("rita"), nullptr);
  EXPECT_EQ(directory_->loads(), 1);

  users_.erase(users_.begin());  // rita
  ASSERT_TRUE(WriteUsersFile(path_, users_).ok());
  EXPECT_EQ(directory_->Find("rita"), nullptr);
  EXPECT_NE(directory_->Find("wendy"), nullptr);
  EXPECT_EQ(directory_->loads(), 2);
}

TEST_F(UserDirectoryTest, KeepsTheUsersWhenTheChangedFileIsRefused) {
  users_.erase(users_.begin());
  ASSERT_TRUE(WriteUsersFile(path_, users_).ok());
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  // The new file is refused (readable by others): rita is still known.
  EXPECT_NE(directory_->Find("rita"), nullptr);
  EXPECT_EQ(directory_->loads(), 1);
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  EXPECT_EQ(directory_->Find("rita"), nullptr);
  EXPECT_EQ(directory_->loads(), 2);
}

TEST_F(UserDirectoryTest, ChecksAtMostEveryInterval) {
  UserDirectoryOptions options;
  options.path = path_;
  options.check_interval = std::chrono::hours(1);
  auto slow = UserDirectory::Open(options).ValueOrDie();
  users_.erase(users_.begin());
  ASSERT_TRUE(WriteUsersFile(path_, users_).ok());
  EXPECT_NE(slow->Find("rita"), nullptr);
  EXPECT_EQ(slow->loads(), 1);
}

TEST(UserDirectoryFixedTest, FixedUsers) {
  auto directory = UserDirectory::MakeFixed(testing::TestUsers());
  ASSERT_NE(directory->Find("adam"), nullptr);
  EXPECT_EQ(directory->Find("adam")->role, Role::kAdmin);
  EXPECT_EQ(directory->Find("eve"), nullptr);
}

}  // namespace
}  // namespace quiver::auth
