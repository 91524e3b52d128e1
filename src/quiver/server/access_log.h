#pragma once

#include <memory>

#include <arrow/flight/server_middleware.h>

namespace quiver::server {

/// Key under which the access-log middleware is registered.
inline constexpr char kAccessLogMiddlewareKey[] = "quiver.access_log";

/// \brief Middleware that writes one log line per RPC when it completes: method,
/// dataset, rows, bytes, duration, status and peer. Also owns the call's CallStats.
std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeAccessLogMiddlewareFactory();

}  // namespace quiver::server
