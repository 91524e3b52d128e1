#pragma once

#include <memory>

#include <arrow/flight/server_middleware.h>

namespace quiver::server {

/// Key under which the access-log middleware is registered.
inline constexpr char kAccessLogMiddlewareKey[] = "quiver.access_log";

/// Name of the spdlog logger the access log writes to (the default logger when no
/// logger of that name is registered).
inline constexpr char kAccessLoggerName[] = "access";

/// \brief How access-log lines are written.
enum class AccessLogFormat { kText, kJson };

/// \brief Access-log settings.
struct AccessLogOptions {
  /// kText: `rpc method=... trace_id=...`; kJson: one JSON object per line (the
  /// logging sink adds the timestamp and level, see FormatAccessJson).
  AccessLogFormat format = AccessLogFormat::kText;
};

/// \brief Middleware that writes one log line per RPC when it completes: method,
/// dataset, rows, bytes, duration, status, peer and trace id. Also owns the call's
/// CallStats.
std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeAccessLogMiddlewareFactory(
    AccessLogOptions options = {});

}  // namespace quiver::server
