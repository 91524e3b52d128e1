#include <nlohmann/json.hpp>

#include <arrow/flight/types.h>

#include "quiver/console/http_status_internal.h"

namespace quiver::console {

namespace flight = arrow::flight;

int HttpStatusOf(const arrow::Status& status) {
  if (auto detail = flight::FlightStatusDetail::UnwrapStatus(status)) {
    switch (detail->code()) {
      case flight::FlightStatusCode::Unauthenticated:
        return 401;
      case flight::FlightStatusCode::Unauthorized:
        return 403;
      case flight::FlightStatusCode::Unavailable:
        return 503;
      case flight::FlightStatusCode::Cancelled:
        return 499;
      default:
        return 500;
    }
  }
  if (status.IsKeyError()) return 404;
  if (status.IsInvalid() || status.IsTypeError()) return 400;
  if (status.IsAlreadyExists()) return 409;
  if (status.IsCapacityError() || status.IsOutOfMemory()) return 503;
  if (status.IsNotImplemented()) return 501;
  return 500;
}

void SendError(httplib::Response& response, const arrow::Status& status) {
  response.status = HttpStatusOf(status);
  nlohmann::json body = {{"error", status.message()}, {"status", response.status}};
  response.set_content(
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "application/json");
}

void SendJson(httplib::Response& response, std::string json) {
  response.status = 200;
  response.set_content(std::move(json), "application/json");
}

}  // namespace quiver::console
