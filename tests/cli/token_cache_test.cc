#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quiver/cli/token_cache_internal.h"

namespace quiver::cli {
namespace {

class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "quiver-token-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/config/quiver/tokens.json";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string path_;
};

CachedToken Token(std::string user, std::string value) {
  CachedToken token;
  token.user = std::move(user);
  token.header_name = "authorization";
  token.header_value = std::move(value);
  token.obtained_at = 1700000000;
  return token;
}

TEST_F(TokenCacheTest, MissingFileMeansNoToken) {
  TokenCache cache(path_);
  auto token = cache.Get("grpc://a:1");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_FALSE(token->has_value());
}

TEST_F(TokenCacheTest, KeepsOneTokenPerServerInAPrivateFile) {
  TokenCache cache(path_);
  ASSERT_TRUE(cache.Put("grpc://a:1", Token("ann", "Bearer aaa")).ok());
  ASSERT_TRUE(cache.Put("grpc://b:2", Token("bob", "Bearer bbb")).ok());
  auto a = cache.Get("grpc://a:1");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->user, "ann");
  EXPECT_EQ((*a)->header_name, "authorization");
  EXPECT_EQ((*a)->header_value, "Bearer aaa");
  EXPECT_EQ((*a)->obtained_at, 1700000000);
  EXPECT_EQ((**cache.Get("grpc://b:2")).header_value, "Bearer bbb");

  struct stat file {};
  ASSERT_EQ(stat(path_.c_str(), &file), 0);
  EXPECT_EQ(file.st_mode & 0777, 0600);
  struct stat dir {};
  ASSERT_EQ(stat((dir_ + "/config/quiver").c_str(), &dir), 0);
  EXPECT_EQ(dir.st_mode & 0777, 0700);
}

TEST_F(TokenCacheTest, ReplacingAFileWithLooseModeMakesIt0600) {
  std::filesystem::create_directories(dir_ + "/config/quiver");
  { std::ofstream(path_) << "{}"; }
  chmod(path_.c_str(), 0644);
  TokenCache cache(path_);
  ASSERT_TRUE(cache.Put("grpc://a:1", Token("ann", "Bearer aaa")).ok());
  struct stat file {};
  ASSERT_EQ(stat(path_.c_str(), &file), 0);
  EXPECT_EQ(file.st_mode & 0777, 0600);
}

TEST_F(TokenCacheTest, RemoveForgetsOnlyThatServer) {
  TokenCache cache(path_);
  ASSERT_TRUE(cache.Put("grpc://a:1", Token("ann", "Bearer aaa")).ok());
  ASSERT_TRUE(cache.Put("grpc://b:2", Token("bob", "Bearer bbb")).ok());
  EXPECT_TRUE(*cache.Remove("grpc://a:1"));
  EXPECT_FALSE(*cache.Remove("grpc://a:1"));
  EXPECT_FALSE(cache.Get("grpc://a:1")->has_value());
  EXPECT_TRUE(cache.Get("grpc://b:2")->has_value());
}

TEST_F(TokenCacheTest, DamagedFileIsAnErrorNotAnEmptyCache) {
  std::filesystem::create_directories(dir_ + "/config/quiver");
  { std::ofstream(path_) << "not json"; }
  TokenCache cache(path_);
  auto token = cache.Get("grpc://a:1");
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("damaged"), std::string::npos);
}

TEST(DefaultTokenCachePath, FollowsXdgThenHome) {
  const char* saved_xdg = std::getenv("XDG_CONFIG_HOME");
  const char* saved_home = std::getenv("HOME");
  std::string xdg = saved_xdg ? saved_xdg : "";
  std::string home = saved_home ? saved_home : "";
  setenv("XDG_CONFIG_HOME", "/x/config", 1);
  EXPECT_EQ(*DefaultTokenCachePath(), "/x/config/quiver/tokens.json");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/ann", 1);
  EXPECT_EQ(*DefaultTokenCachePath(), "/home/ann/.config/quiver/tokens.json");
  if (saved_xdg) setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
  if (saved_home) setenv("HOME", home.c_str(), 1);
}

}  // namespace
}  // namespace quiver::cli
