#include <gtest/gtest.h>

#include <arrow/flight/types.h>

#include "quiver/cli/exit_codes_internal.h"

namespace quiver::cli {
namespace {

using arrow::flight::FlightStatusCode;
using arrow::flight::MakeFlightError;

TEST(ClassifyStatus, MapsFlightCodes) {
  EXPECT_EQ(ClassifyStatus(MakeFlightError(FlightStatusCode::Unavailable, "down")),
            ExitCode::kUnreachable);
  EXPECT_EQ(ClassifyStatus(MakeFlightError(FlightStatusCode::TimedOut, "late")),
            ExitCode::kTimedOut);
  EXPECT_EQ(ClassifyStatus(MakeFlightError(FlightStatusCode::Unauthenticated, "who")),
            ExitCode::kUnauthenticated);
  EXPECT_EQ(ClassifyStatus(MakeFlightError(FlightStatusCode::Unauthorized, "no")),
            ExitCode::kPermissionDenied);
  EXPECT_EQ(ClassifyStatus(MakeFlightError(FlightStatusCode::Internal, "bug")),
            ExitCode::kError);
}

TEST(ClassifyStatus, MapsArrowCodes) {
  EXPECT_EQ(ClassifyStatus(arrow::Status::OK()), ExitCode::kOk);
  EXPECT_EQ(ClassifyStatus(arrow::Status::KeyError("dataset 'x' not found")),
            ExitCode::kNotFound);
  EXPECT_EQ(ClassifyStatus(arrow::Status::Invalid("bad name")), ExitCode::kUsage);
  EXPECT_EQ(ClassifyStatus(arrow::Status::IOError("disk")), ExitCode::kError);
}

TEST(WithExitCode, OverridesTheCodeAndKeepsTheMessage) {
  auto status = WithExitCode(ExitCode::kBadInput, arrow::Status::Invalid("bad CSV"));
  EXPECT_EQ(ClassifyStatus(status), ExitCode::kBadInput);
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_EQ(status.message(), "bad CSV");
  // Re-tagging replaces the tag; OK stays OK.
  EXPECT_EQ(ClassifyStatus(WithExitCode(ExitCode::kError, status)), ExitCode::kError);
  EXPECT_TRUE(WithExitCode(ExitCode::kBadInput, arrow::Status::OK()).ok());
}

TEST(WithExitCode, KeepsTheFlightDetailUnderneath) {
  auto flight = MakeFlightError(FlightStatusCode::Unavailable, "down");
  auto tagged = WithExitCode(ExitCode::kBadInput, flight);
  EXPECT_EQ(ClassifyStatus(tagged), ExitCode::kBadInput);
  EXPECT_NE(tagged.ToString().find("Unavailable"), std::string::npos);
}

TEST(CleanMessage, StripsTransportBoilerplate) {
  auto status = arrow::Status::IOError(
      "Flight returned unavailable error, with message: failed to connect. Detail: "
      "Unavailable. gRPC client debug context: UNKNOWN:Error received from peer");
  EXPECT_EQ(CleanMessage(status), "failed to connect");
  EXPECT_EQ(CleanMessage(arrow::Status::KeyError("dataset 'x' not found")),
            "dataset 'x' not found");
  EXPECT_EQ(CleanMessage(arrow::Status::IOError("two\nlines")), "two");
}

TEST(DescribeError, SaysWhatToDoPerClass) {
  const std::string server = "grpc://db:8815";
  auto down =
      DescribeError(MakeFlightError(FlightStatusCode::Unavailable, "refused"), server);
  EXPECT_NE(down.find("cannot reach grpc://db:8815"), std::string::npos);
  EXPECT_NE(down.find("QUIVER_SERVER"), std::string::npos);
  auto tls = DescribeError(MakeFlightError(FlightStatusCode::Unavailable, "handshake"),
                           "grpc+tls://db:8815");
  EXPECT_NE(tls.find("--tls-roots"), std::string::npos);
  EXPECT_NE(DescribeError(arrow::Status::KeyError("dataset 'x' not found"), server)
                .find("quiver ls"),
            std::string::npos);
  EXPECT_NE(
      DescribeError(MakeFlightError(FlightStatusCode::Unauthenticated, "Invalid token"),
                    server)
          .find("quiver login"),
      std::string::npos);
  EXPECT_NE(DescribeError(MakeFlightError(FlightStatusCode::TimedOut, "late"), server)
                .find("--timeout"),
            std::string::npos);
  for (auto code : {FlightStatusCode::Unavailable, FlightStatusCode::Unauthorized}) {
    auto line = DescribeError(MakeFlightError(code, "x"), server);
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
}

TEST(WithHint, ReplacesTheGenericHintAndKeepsTheClass) {
  auto missing = arrow::Status::KeyError("version 9 of dataset 'x' does not exist");
  EXPECT_EQ(DescribeError(missing, "grpc://h:1"),
            "version 9 of dataset 'x' does not exist; `quiver ls` lists the datasets");
  auto hinted = WithHint("`quiver versions x` lists its versions", missing);
  EXPECT_EQ(ClassifyStatus(hinted), ExitCode::kNotFound);
  EXPECT_EQ(DescribeError(hinted, "grpc://h:1"),
            "version 9 of dataset 'x' does not exist; `quiver versions x` lists its "
            "versions");
  // Both tags together, in either order.
  auto both = WithExitCode(ExitCode::kError, hinted);
  EXPECT_EQ(ClassifyStatus(both), ExitCode::kError);
  EXPECT_NE(DescribeError(both, "grpc://h:1").find("quiver versions x"),
            std::string::npos);
  auto other = WithHint("do this", WithExitCode(ExitCode::kBadInput, missing));
  EXPECT_EQ(ClassifyStatus(other), ExitCode::kBadInput);
  EXPECT_EQ(DescribeError(other, "grpc://h:1"),
            "version 9 of dataset 'x' does not exist; do this");
  // A Flight status keeps its Flight class under a hint.
  auto denied = WithHint(
      "ask", arrow::flight::MakeFlightError(FlightStatusCode::Unauthorized, "no"));
  EXPECT_EQ(ClassifyStatus(denied), ExitCode::kPermissionDenied);
  EXPECT_TRUE(WithHint("x", arrow::Status::OK()).ok());
}

TEST(WithContext, AddsLinesBelowTheMessageAndKeepsTheTags) {
  auto refused = arrow::Status::Invalid("syntax error at or near \"SELEC\"");
  auto shown = WithContext("LINE 1: SELEC 1\n        ^", WithHint("see x", refused));
  EXPECT_EQ(ClassifyStatus(shown), ExitCode::kUsage);
  EXPECT_EQ(DescribeError(shown, "grpc://h:1"),
            "syntax error at or near \"SELEC\"; see x\nLINE 1: SELEC 1\n        ^");
  // Later tags keep the lines.
  auto tagged = WithExitCode(ExitCode::kError, shown);
  EXPECT_EQ(ClassifyStatus(tagged), ExitCode::kError);
  EXPECT_NE(DescribeError(tagged, "grpc://h:1").find("\n        ^"), std::string::npos);
  EXPECT_TRUE(WithContext("x", arrow::Status::OK()).ok());
}

TEST(ServerMessage, KeepsEveryLine) {
  auto status = arrow::Status::Invalid(
      "Flight returned invalid argument error, with message: refused\n\nLINE 1: x\n"
      "^. Detail: Invalid");
  EXPECT_EQ(ServerMessage(status), "refused\n\nLINE 1: x\n^");
  EXPECT_EQ(CleanMessage(status), "refused");
}

}  // namespace
}  // namespace quiver::cli
