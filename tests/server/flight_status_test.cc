#include "quiver/server/flight_status_internal.h"

#include <cerrno>

#include <gtest/gtest.h>

#include <arrow/flight/types.h>
#include <arrow/util/io_util.h>

#include "quiver/server/grpc_status_code_internal.h"
#include "quiver/store/model/storage_error.h"

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
