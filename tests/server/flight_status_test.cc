#include <cerrno>

#include <gtest/gtest.h>

#include <arrow/flight/types.h>
#include <arrow/util/io_util.h>

#include "quiver/server/flight_status_internal.h"
#include "quiver/server/grpc_status_code_internal.h"
#include "quiver/store/model/storage_error.h"
#include "quiver/store/model/store_errors.h"

namespace quiver::server {
namespace {

using arrow::flight::FlightStatusCode;
using arrow::flight::FlightStatusDetail;

TEST(FlightStatusTest, FullStorageIsUnavailableAndSaysSo) {
  for (int error : {ENOSPC, EDQUOT}) {
    auto stored = store::StorageFailure(arrow::internal::IOErrorFromErrno(error, "w"),
                                        "storage failure during write of dataset 'a'");
    auto status = ToFlightStatus(stored);
    EXPECT_EQ(GrpcStatusName(GrpcStatusCode(status)), "UNAVAILABLE");
    EXPECT_EQ(status.message(),
              "storage full: storage failure during write of dataset 'a'");
    auto detail = FlightStatusDetail::UnwrapStatus(status);
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->code(), FlightStatusCode::Unavailable);
  }
}

TEST(FlightStatusTest, OtherStorageFailuresAreInternal) {
  for (int error : {EIO, EACCES, 0}) {
    auto cause = error == 0 ? arrow::Status::IOError("x")
                            : arrow::internal::IOErrorFromErrno(error, "x");
    auto status = ToFlightStatus(store::StorageFailure(cause, "storage failure"));
    EXPECT_EQ(GrpcStatusName(GrpcStatusCode(status)), "INTERNAL");
    EXPECT_EQ(status.message(), "storage failure");
  }
}

std::string CodeOf(const arrow::Status& status) {
  return std::string(GrpcStatusName(GrpcStatusCode(ToFlightStatus(status))));
}

TEST(FlightStatusTest, TheClassIsTheDetailsTypeNeverTheCodeAlone) {
  // An IOError the store did not mark is a fault of the server's code: INTERNAL
  // (never the UNKNOWN Flight would send), even with a full disk's errno.
  EXPECT_EQ(CodeOf(arrow::Status::IOError("x")), "INTERNAL");
  EXPECT_EQ(CodeOf(arrow::internal::IOErrorFromErrno(ENOSPC, "x")), "INTERNAL");
  EXPECT_EQ(
      CodeOf(store::MarkStorageFailure(arrow::internal::IOErrorFromErrno(ENOSPC, "x"))),
      "UNAVAILABLE");
  // Marked storage failures are the store's whatever their code.
  EXPECT_EQ(CodeOf(store::MarkStorageFailure(arrow::Status::Invalid("bad page"))),
            "INTERNAL");
  EXPECT_EQ(CodeOf(arrow::Status::IndexError("i")), "INTERNAL");
  EXPECT_EQ(CodeOf(arrow::Status::UnknownError("u")), "INTERNAL");
}

TEST(FlightStatusTest, ClientErrorsKeepTheirClassAndLoseTheirDetail) {
  EXPECT_EQ(CodeOf(arrow::Status::TypeError("t")), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeOf(arrow::Status::NotImplemented("n")), "UNIMPLEMENTED");
  EXPECT_EQ(CodeOf(arrow::Status::AlreadyExists("a")), "ALREADY_EXISTS");
  EXPECT_EQ(CodeOf(arrow::Status::Cancelled("c")), "CANCELLED");
  auto filter = ToFlightStatus(store::FilterFailed(arrow::Status::Invalid("div")));
  EXPECT_TRUE(filter.IsInvalid());
  EXPECT_EQ(filter.detail(), nullptr) << "no store detail reaches the client";
  EXPECT_NE(filter.message().find("div"), std::string::npos);
}

TEST(FlightStatusTest, FlightStatusesAreKeptAsTheyAre) {
  auto refused = arrow::flight::MakeFlightError(FlightStatusCode::Unauthorized, "no");
  auto status = ToFlightStatus(refused);
  EXPECT_TRUE(status.Equals(refused));
  EXPECT_EQ(GrpcStatusName(GrpcStatusCode(status)), "PERMISSION_DENIED");
}

TEST(FlightStatusTest, ClientErrorsPassThrough) {
  EXPECT_EQ(GrpcStatusName(GrpcStatusCode(ToFlightStatus(arrow::Status::KeyError("k")))),
            "NOT_FOUND");
  EXPECT_EQ(GrpcStatusName(GrpcStatusCode(ToFlightStatus(arrow::Status::Invalid("i")))),
            "INVALID_ARGUMENT");
  EXPECT_EQ(
      GrpcStatusName(GrpcStatusCode(ToFlightStatus(arrow::Status::OutOfMemory("m")))),
      "UNAVAILABLE");
}

}  // namespace
}  // namespace quiver::server
