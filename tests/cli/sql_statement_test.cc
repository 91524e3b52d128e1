#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include <arrow/flight/types.h>

#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/sql_query_internal.h"
#include "quiver/cli/statement_source_internal.h"
#include "quiver/flightsql/command_codec.h"

namespace quiver::cli {
namespace {

namespace pb = flightsql::pb;
using arrow::flight::FlightStatusCode;

TEST(StatementDescriptor, IsAPackedCommandStatementQuery) {
  auto descriptor = StatementDescriptor("SELECT 1");
  EXPECT_EQ(descriptor.type, arrow::flight::FlightDescriptor::CMD);
  auto decoded = flightsql::DecodeAs<pb::CommandStatementQuery>(descriptor.cmd);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->query(), "SELECT 1");
  EXPECT_FALSE(decoded->has_transaction_id());
}

TEST(SqlError, KeepsTheEngineLinesBelowTheMessage) {
  auto status = arrow::Status::Invalid(
      "SQL syntax error: Parser Error: syntax error at or near \"SELEC\"\n\n"
      "LINE 1: SELEC 1\n        ^  \n");
  auto shown = SqlError(status);
  EXPECT_EQ(ClassifyStatus(shown), ExitCode::kUsage);
  EXPECT_EQ(DescribeError(shown, "grpc://h:1"),
            "SQL syntax error: Parser Error: syntax error at or near \"SELEC\"; see "
            "docs/sql.md\nLINE 1: SELEC 1\n        ^");
}

TEST(SqlError, KeepsTheClassOfOtherErrors) {
  auto denied = SqlError(arrow::flight::MakeFlightError(FlightStatusCode::Unauthorized,
                                                        "no grant for 'trips'"));
  EXPECT_EQ(ClassifyStatus(denied), ExitCode::kPermissionDenied);
  EXPECT_EQ(DescribeError(denied, "grpc://h:1").find('\n'), std::string::npos);
  auto missing = SqlError(arrow::Status::NotImplemented("built without the SQL engine"));
  EXPECT_EQ(ClassifyStatus(missing), ExitCode::kError);
  EXPECT_EQ(DescribeError(missing, "grpc://h:1"), "built without the SQL engine");
  EXPECT_TRUE(SqlError(arrow::Status::OK()).ok());
}

class ReadStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("quiver-sql-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ReadStatementTest, TakesTheArgumentElseTheFile) {
  auto file = Write("q.sql", "SELECT 2;\n");
  EXPECT_EQ(*ReadStatement({"SELECT 1", ""}, true), "SELECT 1");
  EXPECT_EQ(*ReadStatement({"", file}, true), "SELECT 2;\n");
  EXPECT_EQ(*ReadStatement({"-", file}, true), "SELECT 2;\n");
}

TEST_F(ReadStatementTest, RefusesWhatCannotBeAStatement) {
  auto none = ReadStatement({"", ""}, /*stdin_is_terminal=*/true);
  EXPECT_EQ(ClassifyStatus(none.status()), ExitCode::kUsage);
  EXPECT_NE(none.status().message().find("-f FILE"), std::string::npos);
  auto blank = ReadStatement({"", Write("blank.sql", " \n\t\n")}, true);
  EXPECT_EQ(ClassifyStatus(blank.status()), ExitCode::kUsage);
  auto missing = ReadStatement({"", (dir_ / "missing.sql").string()}, true);
  EXPECT_EQ(ClassifyStatus(missing.status()), ExitCode::kBadInput);
  EXPECT_NE(missing.status().message().find("missing.sql"), std::string::npos);
  auto big = ReadStatement(
      {"", Write("big.sql", std::string(flightsql::kMaxMessageBytes + 1, ' ') + "x")},
      true);
  EXPECT_EQ(ClassifyStatus(big.status()), ExitCode::kUsage);
  EXPECT_NE(big.status().message().find("16 MiB"), std::string::npos);
}

}  // namespace
}  // namespace quiver::cli
