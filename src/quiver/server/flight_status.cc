#include <arrow/flight/types.h>

#include "quiver/server/flight_status_internal.h"
#include "quiver/store/model/storage_error.h"

namespace quiver::server {

arrow::Status ToFlightStatus(arrow::Status status) {
  using arrow::flight::FlightStatusCode;
  using arrow::flight::MakeFlightError;
  if (status.ok() || arrow::flight::FlightStatusDetail::UnwrapStatus(status)) {
    return status;
  }
  if (store::IsStorageFailure(status)) {
    if (store::IsStorageFull(status)) {
      return MakeFlightError(FlightStatusCode::Unavailable,
                             "storage full: " + status.message());
    }
    return MakeFlightError(FlightStatusCode::Internal, status.message());
  }
  switch (status.code()) {
    case arrow::StatusCode::OutOfMemory:
      return MakeFlightError(FlightStatusCode::Unavailable, status.message());
    case arrow::StatusCode::Invalid:
    case arrow::StatusCode::TypeError:
      return arrow::Status::Invalid(status.message());
    case arrow::StatusCode::KeyError:
    case arrow::StatusCode::AlreadyExists:
    case arrow::StatusCode::NotImplemented:
    case arrow::StatusCode::Cancelled:
      return arrow::Status(status.code(), status.message());
    default:
      return MakeFlightError(FlightStatusCode::Internal, status.message());
  }
}

}  // namespace quiver::server
