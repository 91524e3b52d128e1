#pragma once

#include <cstdint>
#include <string>

#include <arrow/flight/server.h>

namespace quiver::server {

/// \brief What a handler reports about its call, for the access log and metrics.
///
/// Owned by the call's access-log middleware; filled by the handler on the thread that
/// runs the call, read once the call completes.
struct CallStats {
  std::string dataset;
  int64_t rows = 0;
  int64_t bytes = 0;
  /// The call's trace id (hex), set by the telemetry middleware when the call is
  /// traced or carries a trace context, and quiverd's span id when the call is
  /// recorded; empty otherwise.
  std::string trace_id;
  std::string span_id;
  /// A Flight SQL statement's text, truncated (never its bound parameter values).
  std::string statement;
};

/// \brief The CallStats of the current call, or a scratch object when the access-log
/// middleware is not installed (so handlers never need to check).
CallStats* GetCallStats(const arrow::flight::ServerCallContext& context);

}  // namespace quiver::server
