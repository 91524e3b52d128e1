#include <arrow/flight/types.h>

#include "quiver/server/flight_status_internal.h"
#include "quiver/store/model/storage_error.h"

namespace quiver::server {

arrow::Status ToFlightStatus(arrow::Status status) {
  using arrow::flight::FlightStatusCode;
  if (status.ok() || arrow::flight::FlightStatusDetail::UnwrapStatus(status)) {
    return status;
  }
  switch (status.code()) {
    case arrow::StatusCode::IOError:
      if (store::IsStorageFull(status)) {
        return arrow::flight::MakeFlightError(FlightStatusCode::Unavailable,
                                              "storage full: " + status.message());
      }
      return arrow::flight::MakeFlightError(FlightStatusCode::Internal, status.message());
    case arrow::StatusCode::OutOfMemory:
      return arrow::flight::MakeFlightError(FlightStatusCode::Unavailable,
                                            status.message());
    default:
      return status;
  }
}

}  // namespace quiver::server
