#pragma once

#include <arrow/status.h>

namespace quiver::server {

/// \brief Map a status from the layers below onto the Flight status the client sees.
///
/// The one place the error rule is applied, for every RPC: the class of an error
/// decides its Flight code, and the class is read from the status's detail type and
/// code, never from errno values or message text.
///  - A Flight status (FlightStatusDetail: the authorizer's UNAUTHENTICATED and
///    UNAUTHORIZED, the limits' UNAVAILABLE...) is kept.
///  - The store's own failures (store::StorageFailureDetail, store/storage_error.h):
///    a full storage (errno ENOSPC or EDQUOT) becomes UNAVAILABLE with a message
///    starting "storage full:" (Flight's gRPC transport has no way to send
///    RESOURCE_EXHAUSTED; see docs/reliability.md); any other becomes INTERNAL.
///  - Out-of-memory becomes UNAVAILABLE (the server is overloaded, retry later).
///  - The client's errors: Invalid and TypeError become INVALID_ARGUMENT; KeyError
///    (NOT_FOUND), AlreadyExists, NotImplemented (UNIMPLEMENTED) and Cancelled keep
///    their code.
///  - Anything else (an IOError the store did not mark, IndexError...) is a fault of
///    the server's code: INTERNAL, never the UNKNOWN Flight would send.
/// The result carries no StatusDetail but Flight's, so nothing more than the message
/// reaches the client (no errno, no path).
arrow::Status ToFlightStatus(arrow::Status status);

}  // namespace quiver::server
