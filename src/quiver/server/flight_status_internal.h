#pragma once

#include <arrow/status.h>

namespace quiver::server {

/// \brief Map a status from the layers below onto the Flight status the client sees.
///
/// KeyError (NOT_FOUND), Invalid (INVALID_ARGUMENT), AlreadyExists, NotImplemented and
/// Cancelled pass through: Flight maps them itself. Storage failures (IOError) become
/// INTERNAL, out-of-memory becomes UNAVAILABLE; anything else is kept.
arrow::Status ToFlightStatus(arrow::Status status);

}  // namespace quiver::server
