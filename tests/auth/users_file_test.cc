#include "quiver/auth/users_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "auth_testing.h"

namespace quiver::auth {
namespace {

using testing::TempDir;

TEST(UsersFileTest, RoundTripWithMode0600) {
  TempDir dir;
  std::string path = dir.path() + "/users.json";
  auto users = testing::TestUsers();
  ASSERT_TRUE(WriteUsersFile(path, users).ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto read = ReadUsersFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), users.size());
  for (size_t i = 0; i < users.size(); ++i) {
    EXPECT_EQ((*read)[i].name, users[i].name);
    EXPECT_EQ((*read)[i].role, users[i].role);
    EXPECT_EQ((*read)[i].password_hash, users[i].password_hash);
    EXPECT_EQ((*read)[i].grants.size(), users[i].grants.size());
  }
  // Nothing but the file itself is left in the directory (no temporary).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(UsersFileTest, RewriteReplacesAtomically) {
  TempDir dir;
  std::string path = dir.path() + "/users.json";
  auto users = testing::TestUsers();
  ASSERT_TRUE(WriteUsersFile(path, users).ok());
  users.pop_back();
  ASSERT_TRUE(WriteUsersFile(path, users).ok());
  EXPECT_EQ(ReadUsersFile(path)->size(), users.size());
}

TEST(UsersFileTest, RefusesGroupOrWorldReadableFile) {
  TempDir dir;
  std::string path = dir.path() + "/users.json";
  ASSERT_TRUE(WriteUsersFile(path, testing::TestUsers()).ok());
  for (mode_t mode : {0640, 0604, 0660, 0606}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto read = ReadUsersFile(path);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(read.status().IsInvalid());
    EXPECT_NE(read.status().message().find("chmod 600"), std::string::npos)
        << read.status();
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(ReadUsersFile(path).ok());
}

TEST(UsersFileTest, MissingFile) {
  TempDir dir;
  std::string path = dir.path() + "/none.json";
  EXPECT_TRUE(ReadUsersFile(path).status().IsIOError());
  auto empty = ReadUsersFile(path, /*missing_ok=*/true);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

void WriteRaw(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), 0600);
}

TEST(UsersFileTest, RefusesMalformedContent) {
  TempDir dir;
  std::string path = dir.path() + "/users.json";
  const std::string hash = testing::TestUsers()[0].password_hash;
  for (
      const std::string& text : std::vector<std::string>{
          std::string("not json"),
          std::string(R"({"version": 1})"),
          std::string(R"({"version": 2, "users": []})"),
          R"({"version": 1, "users": [{"name": "a", "role": "reader"}]})",
          R"({"version": 1, "users": [{"name": "a", "role": "root", "password_hash": ")" +
              hash + R"("}]})",
          std::string(R"({"version": 1, "users": [{"name": "a", "role": "reader", )"
                      R"("password_hash": "plaintext"}]})"),
          R"({"version": 1, "users": [{"name": "a:b", "role": "reader", "password_hash": ")" +
              hash + R"("}]})",
          R"({"version": 1, "users": [{"name": "a", "role": "reader", "password_hash": ")" +
              hash + R"("}, {"name": "a", "role": "writer", "password_hash": ")" + hash +
              R"("}]})",
          R"({"version": 1, "users": [{"name": "a", "role": "reader", "grants": ["../x"], )"
          R"("password_hash": ")" +
              hash + R"("}]})",
      }) {
    WriteRaw(path, text);
    auto read = ReadUsersFile(path);
    EXPECT_TRUE(read.status().IsInvalid()) << text << " -> " << read.status();
    // Errors never echo a password hash.
    EXPECT_EQ(read.status().message().find(hash), std::string::npos);
  }
}

}  // namespace
}  // namespace quiver::auth
