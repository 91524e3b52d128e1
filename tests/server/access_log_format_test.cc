#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arrow/flight/types.h>

#include "quiver/server/access_log_format_internal.h"
#include "quiver/server/grpc_status_code_internal.h"

namespace quiver::server {
namespace {

TEST(AccessLogFormatTest, TextLineCarriesTheTraceId) {
  CallStats stats{"a/b", 10, 80, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                  ""};
  arrow::Status ok;
  AccessRecord record{"DoPut", stats, 1.23456, ok, "ipv4:127.0.0.1:5000"};
  EXPECT_EQ(FormatAccessText(record),
            "rpc method=DoPut dataset=a/b rows=10 bytes=80 duration_ms=1.235 status=OK "
            "peer=ipv4:127.0.0.1:5000 trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
  CallStats unknown;
  arrow::Status failed = arrow::Status::KeyError("dataset 'x' not found");
  AccessRecord untraced{"DoGet", unknown, 0, failed, "p"};
  EXPECT_EQ(FormatAccessText(untraced),
            "rpc method=DoGet dataset=- rows=0 bytes=0 duration_ms=0.000 "
            "status=Key error: dataset 'x' not found peer=p trace_id=-");
}

TEST(AccessLogFormatTest, JsonLineIsOneObjectWithNullsForUnknowns) {
  CallStats stats{"quote\"d", 1, 2, "", "", ""};
  arrow::Status failed = arrow::Status::KeyError("not found");
  AccessRecord record{"DoGet", stats, 0.5, failed, "peer"};
  auto line = nlohmann::json::parse(FormatAccessJson(record));
  EXPECT_EQ(line["msg"], "rpc");
  EXPECT_EQ(line["method"], "DoGet");
  EXPECT_EQ(line["dataset"], "quote\"d");
  EXPECT_EQ(line["rows"], 1);
  EXPECT_EQ(line["bytes"], 2);
  EXPECT_EQ(line["duration_ms"], 0.5);
  EXPECT_EQ(line["code"], "NOT_FOUND");
  EXPECT_EQ(line["status"], "Key error: not found");
  EXPECT_TRUE(line["trace_id"].is_null());
  EXPECT_TRUE(line["span_id"].is_null());
}

TEST(AccessLogFormatTest, AStatementIsQuotedInTextAndAFieldInJson) {
  CallStats stats{"", 3, 0, "", "", "SELECT \"a\"\nFROM t"};
  AccessRecord record{"GetFlightInfo", stats, 1, arrow::Status::OK(), "p"};
  EXPECT_EQ(FormatAccessText(record),
            "rpc method=GetFlightInfo dataset=- rows=3 bytes=0 duration_ms=1.000 "
            "status=OK peer=p trace_id=- sql=\"SELECT \\\"a\\\"\\nFROM t\"");
  auto line = nlohmann::json::parse(FormatAccessJson(record));
  EXPECT_EQ(line["sql"], "SELECT \"a\"\nFROM t");
  // Calls without a statement have no such field.
  CallStats none;
  AccessRecord plain{"DoGet", none, 0, arrow::Status::OK(), "p"};
  EXPECT_FALSE(nlohmann::json::parse(FormatAccessJson(plain)).contains("sql"));
}

TEST(GrpcStatusCodeTest, FollowsFlightsMapping) {
  namespace flight = arrow::flight;
  EXPECT_EQ(GrpcStatusCode(arrow::Status::OK()), 0);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::Cancelled("c")), 1);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::IOError("io")), 2);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::Invalid("i")), 3);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::KeyError("k")), 5);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::AlreadyExists("a")), 6);
  EXPECT_EQ(GrpcStatusCode(arrow::Status::NotImplemented("n")), 12);
  EXPECT_EQ(
      GrpcStatusCode(flight::MakeFlightError(flight::FlightStatusCode::Internal, "x")),
      13);
  EXPECT_EQ(
      GrpcStatusCode(flight::MakeFlightError(flight::FlightStatusCode::Unavailable, "x")),
      14);
  EXPECT_EQ(GrpcStatusCode(
                flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated, "x")),
            16);
  EXPECT_EQ(GrpcStatusCode(
                flight::MakeFlightError(flight::FlightStatusCode::Unauthorized, "x")),
            7);
  EXPECT_EQ(GrpcStatusName(0), "OK");
  EXPECT_EQ(GrpcStatusName(5), "NOT_FOUND");
  EXPECT_EQ(GrpcStatusName(16), "UNAUTHENTICATED");
  EXPECT_EQ(GrpcStatusName(99), "UNKNOWN");
}

}  // namespace
}  // namespace quiver::server
