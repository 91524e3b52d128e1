#pragma once

#include <arrow/status.h>

namespace quiver::server {

/// \brief Map a status from the layers below onto the Flight status the client sees.
///
/// KeyError (NOT_FOUND), Invalid (INVALID_ARGUMENT), AlreadyExists, NotImplemented and
/// Cancelled pass through: Flight maps them itself. A full storage (an IOError whose
/// errno is ENOSPC or EDQUOT, see store/storage_error.h) becomes UNAVAILABLE with a
/// message starting "storage full:" (Flight's gRPC transport has no way to send
/// RESOURCE_EXHAUSTED; see docs/reliability.md). Other storage failures (IOError)
/// become INTERNAL, out-of-memory becomes UNAVAILABLE; anything else is kept. The
/// result carries no StatusDetail but Flight's, so nothing more than the message
/// reaches the client.
arrow::Status ToFlightStatus(arrow::Status status);

}  // namespace quiver::server
