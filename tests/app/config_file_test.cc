#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "quiver/app/config_file_internal.h"

#include "testing/temp_dir.h"

namespace quiver::app {
namespace {

/// A command line shaped like quiverd's: text, integer, float, flag, repeatable.
struct Flags {
  std::string listen = "127.0.0.1:8815";
  int workers = 4;
  double grace = 10;
  bool insecure = false;
  bool verbose = true;
  std::vector<std::string> advertise;
  std::string config;
};

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_.add_option("--listen", flags_.listen, "address");
    app_.add_option("--workers", flags_.workers, "threads");
    app_.add_option("--shutdown-grace", flags_.grace, "seconds");
    app_.add_flag("--allow-insecure", flags_.insecure, "flag");
    app_.add_flag("--verbose", flags_.verbose, "flag, on by default");
    app_.add_option("--advertise", flags_.advertise, "repeatable");
    app_.set_version_flag("--version", "test 1");
    AddConfigFileOption(app_, &flags_.config);
  }

  /// Parse `args` (after the program name) with a config file holding `toml`.
  arrow::Status Run(const std::string& toml, std::vector<std::string> args = {}) {
    path_ = dir_.path() + "/quiverd.toml";
    std::ofstream(path_) << toml;
    std::vector<std::string> argv_storage = {"quiverd"};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    argv_storage.push_back("--config");
    argv_storage.push_back(path_);
    std::vector<char*> argv;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    app_.parse(static_cast<int>(argv.size()), argv.data());
    EXPECT_EQ(flags_.config, path_);
    return ApplyConfigFile(app_, path_);
  }

  testing::TempDir dir_;
  std::string path_;
  CLI::App app_{"test"};
  Flags flags_;
};

TEST_F(ConfigFileTest, EveryOptionHasAKeyNamedAfterIt) {
  auto status = Run(R"(# comment
listen = "0.0.0.0:9000"
workers = 8
shutdown-grace = 2.5
allow-insecure = true
verbose = false
advertise = ["grpc://a:1", "grpc://b:2"]
)");
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(flags_.listen, "0.0.0.0:9000");
  EXPECT_EQ(flags_.workers, 8);
  EXPECT_DOUBLE_EQ(flags_.grace, 2.5);
  EXPECT_TRUE(flags_.insecure);
  EXPECT_FALSE(flags_.verbose);
  EXPECT_EQ(flags_.advertise, (std::vector<std::string>{"grpc://a:1", "grpc://b:2"}));
}

TEST_F(ConfigFileTest, FlagsWinOverTheFileWhichWinsOverDefaults) {
  ASSERT_TRUE(Run("listen = \"file:1\"\nworkers = 8\nadvertise = \"grpc://file:1\"\n",
                  {"--listen", "flag:2", "--advertise", "grpc://flag:2"})
                  .ok());
  EXPECT_EQ(flags_.listen, "flag:2");
  EXPECT_EQ(flags_.advertise, (std::vector<std::string>{"grpc://flag:2"}));
  EXPECT_EQ(flags_.workers, 8);        // file
  EXPECT_DOUBLE_EQ(flags_.grace, 10);  // default
}

TEST_F(ConfigFileTest, IntegersAreAcceptedForFloatOptions) {
  ASSERT_TRUE(Run("shutdown-grace = 3\n").ok());
  EXPECT_DOUBLE_EQ(flags_.grace, 3);
}

void ExpectInvalid(const arrow::Status& status, const std::vector<std::string>& parts) {
  ASSERT_TRUE(status.IsInvalid()) << status.ToString() << " (expected: " << parts.back()
                                  << ")";
  for (const auto& part : parts) {
    EXPECT_NE(status.message().find(part), std::string::npos)
        << "'" << part << "' not in: " << status.message();
  }
}

TEST_F(ConfigFileTest, UnknownKeysNameTheKeyAndLine) {
  ExpectInvalid(Run("listen = \"a:1\"\n\nlisten-address = \"b:2\"\n"),
                {"line 3", "unknown key 'listen-address'"});
}

TEST_F(ConfigFileTest, HelpVersionAndConfigHaveNoKey) {
  ExpectInvalid(Run("help = true\n"), {"line 1", "unknown key 'help'"});
  ExpectInvalid(Run("version = true\n"), {"unknown key 'version'"});
  ExpectInvalid(Run("config = \"other.toml\"\n"), {"unknown key 'config'"});
}

TEST_F(ConfigFileTest, WrongTypesNameTheKeyLineAndTypes) {
  ExpectInvalid(Run("workers = \"eight\"\n"),
                {"line 1", "'workers'", "an integer", "got a string"});
  ExpectInvalid(Run("\nlisten = 8815\n"),
                {"line 2", "'listen'", "a string", "got an integer"});
  ExpectInvalid(Run("allow-insecure = \"yes\"\n"), {"'allow-insecure'", "a boolean"});
  ExpectInvalid(Run("shutdown-grace = true\n"), {"'shutdown-grace'", "a number"});
  ExpectInvalid(Run("listen = [\"a:1\"]\n"), {"'listen'", "got an array"});
  ExpectInvalid(Run("advertise = [1, 2]\n"), {"'advertise'", "got an integer"});
  ExpectInvalid(Run("[server]\nlisten = \"a:1\"\n"), {"line 1", "unknown key 'server'"});
}

TEST_F(ConfigFileTest, ValuesTheOptionRefusesNameTheKey) {
  ExpectInvalid(Run("workers = 99999999999\n"), {"line 1", "'workers'"});
}

TEST_F(ConfigFileTest, SyntaxErrorsAndMissingFilesAreIOErrors) {
  auto status = Run("listen = \"unterminated\n");
  ASSERT_TRUE(status.IsIOError()) << status.ToString();
  EXPECT_NE(status.message().find("line 1"), std::string::npos) << status.message();
  EXPECT_TRUE(ApplyConfigFile(app_, dir_.path() + "/missing.toml").IsIOError());
}

}  // namespace
}  // namespace quiver::app
