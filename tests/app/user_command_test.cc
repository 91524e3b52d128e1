#include <sstream>

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "quiver/app/user_command_internal.h"
#include "quiver/auth/users_file.h"

#include "auth/auth_testing.h"

namespace quiver::app {
namespace {

class UserCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { users_ = dir_.path() + "/users.json"; }

  /// Run `quiverd user ARGS... --users FILE` with `input` on stdin.
  arrow::Status Run(std::vector<std::string> args, const std::string& input = "") {
    CLI::App app{"test"};
    UserCommandFlags flags;
    AddUserCommand(app, flags);
    args.insert(args.begin(), {"quiverd", "user"});
    args.push_back("--users");
    args.push_back(users_);
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      return arrow::Status::Invalid("parse error: ", e.what());
    }
    EXPECT_TRUE(UserCommandSelected(flags));
    std::istringstream in(input);
    out_.str("");
    std::ostringstream err;
    return RunUserCommand(flags, in, out_, err, auth::PasswordHashOptions::ForTesting());
  }

  testing::TempDir dir_;
  std::string users_;
  std::ostringstream out_;
};

TEST_F(UserCommandTest, AddListPasswdRemove) {
  ASSERT_TRUE(Run({"add", "alice", "--role", "writer"}, "first password\n").ok());
  ASSERT_TRUE(
      Run({"add", "bob", "--grant", "sales", "--grant", "hr/x"}, "second password\n")
          .ok());
  struct stat st;
  ASSERT_EQ(::stat(users_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto users = auth::ReadUsersFile(users_).ValueOrDie();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].role, auth::Role::kWriter);
  EXPECT_EQ(users[1].role, auth::Role::kReader);
  EXPECT_TRUE(auth::VerifyPassword(users[0].password_hash, "first password"));
  EXPECT_EQ(users[1].grants.size(), 2u);

  ASSERT_TRUE(Run({"list"}).ok());
  EXPECT_EQ(out_.str(), "alice\twriter\nbob\treader\tsales,hr/x\n");
  EXPECT_EQ(out_.str().find("argon2"), std::string::npos);

  std::string old_hash = users[0].password_hash;
  ASSERT_TRUE(Run({"passwd", "alice"}, "changed password\r\n").ok());
  users = auth::ReadUsersFile(users_).ValueOrDie();
  EXPECT_NE(users[0].password_hash, old_hash);
  EXPECT_TRUE(auth::VerifyPassword(users[0].password_hash, "changed password"));

  ASSERT_TRUE(Run({"remove", "bob"}).ok());
  EXPECT_EQ(auth::ReadUsersFile(users_).ValueOrDie().size(), 1u);
}

TEST_F(UserCommandTest, Refusals) {
  ASSERT_TRUE(Run({"add", "alice"}, "first password\n").ok());
  EXPECT_TRUE(Run({"add", "alice"}, "first password\n").IsAlreadyExists());
  EXPECT_TRUE(Run({"add", "carol"}, "short\n").IsInvalid());
  EXPECT_TRUE(Run({"add", "carol"}, "").IsInvalid());
  EXPECT_TRUE(Run({"add", "bad:name"}, "long enough pw\n").IsInvalid());
  EXPECT_TRUE(Run({"add", "carol", "--role", "root"}, "long enough pw\n").IsInvalid());
  EXPECT_TRUE(Run({"add", "carol", "--grant", "../etc"}, "long enough pw\n").IsInvalid());
  EXPECT_TRUE(Run({"passwd", "nobody"}, "long enough pw\n").IsKeyError());
  EXPECT_TRUE(Run({"remove", "nobody"}).IsKeyError());
  EXPECT_EQ(auth::ReadUsersFile(users_).ValueOrDie().size(), 1u);
  // A group-readable file is refused, with the fix in the message.
  ASSERT_EQ(::chmod(users_.c_str(), 0644), 0);
  auto status = Run({"list"});
  EXPECT_NE(status.message().find("chmod 600"), std::string::npos) << status;
}

TEST_F(UserCommandTest, PasswordIsNeverAnArgument) {
  // There is no option to pass it: CLI11 refuses the extra argument.
  EXPECT_FALSE(Run({"add", "alice", "--password", "first password"}).ok());
  EXPECT_FALSE(Run({"add", "alice", "first password"}).ok());
}

}  // namespace
}  // namespace quiver::app
