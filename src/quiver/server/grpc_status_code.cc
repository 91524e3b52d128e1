#include <array>

#include <arrow/flight/transport.h>

#include "quiver/server/grpc_status_code_internal.h"

namespace quiver::server {

int GrpcStatusCode(const arrow::Status& status) {
  if (status.ok()) return 0;
  using Code = arrow::flight::TransportStatusCode;
  // TransportStatus::FromStatus is what Flight's server applies before gRPC sees the
  // status; the switch below is the transport's own table.
  switch (arrow::flight::internal::TransportStatus::FromStatus(status).code) {
    case Code::kOk:
      return 0;
    case Code::kCancelled:
      return 1;
    case Code::kUnknown:
      return 2;
    case Code::kInvalidArgument:
      return 3;
    case Code::kTimedOut:
      return 4;
    case Code::kNotFound:
      return 5;
    case Code::kAlreadyExists:
      return 6;
    case Code::kUnauthorized:
      return 7;
    case Code::kUnimplemented:
      return 12;
    case Code::kInternal:
      return 13;
    case Code::kUnavailable:
      return 14;
    case Code::kUnauthenticated:
      return 16;
  }
  return 2;
}

std::string_view GrpcStatusName(int code) {
  static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                              "CANCELLED",
                                                              "UNKNOWN",
                                                              "INVALID_ARGUMENT",
                                                              "DEADLINE_EXCEEDED",
                                                              "NOT_FOUND",
                                                              "ALREADY_EXISTS",
                                                              "PERMISSION_DENIED",
                                                              "RESOURCE_EXHAUSTED",
                                                              "FAILED_PRECONDITION",
                                                              "ABORTED",
                                                              "OUT_OF_RANGE",
                                                              "UNIMPLEMENTED",
                                                              "INTERNAL",
                                                              "UNAVAILABLE",
                                                              "DATA_LOSS",
                                                              "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(kNames.size())) return "UNKNOWN";
  return kNames[code];
}

}  // namespace quiver::server
