#pragma once

#include <string_view>

#include <arrow/status.h>

namespace quiver::server {

/// \brief The gRPC status code the client receives for a handler's `status` (the
/// mapping Flight's gRPC transport applies), e.g. 0 for OK, 5 for NOT_FOUND.
int GrpcStatusCode(const arrow::Status& status);

/// \brief The canonical name of a gRPC status code ("OK", "NOT_FOUND", ...;
/// "UNKNOWN" for codes outside 0..16).
std::string_view GrpcStatusName(int code);

}  // namespace quiver::server
