#pragma once

#include <httplib.h>

#include <arrow/status.h>

namespace quiver::console {

/// \brief The HTTP status of a failed operation, with the error classes of Flight:
/// UNAUTHENTICATED 401, PERMISSION_DENIED 403, KeyError (NOT_FOUND) 404, Invalid
/// (INVALID_ARGUMENT) 400, AlreadyExists 409, CapacityError and UNAVAILABLE 503,
/// anything else (storage failures) 500.
int HttpStatusOf(const arrow::Status& status);

/// \brief Answer `status` (not OK) as JSON {"error": message, "status": http code}.
/// The message is the one a Flight client would get: it names the dataset and the
/// problem, never a server path.
void SendError(httplib::Response& response, const arrow::Status& status);

/// \brief Answer 200 with `json` (a serialized JSON document).
void SendJson(httplib::Response& response, std::string json);

}  // namespace quiver::console
