#pragma once

#include <string>
#include <string_view>

#include <arrow/status.h>

#include "quiver/server/call_stats_internal.h"

namespace quiver::server {

/// \brief One completed RPC, as the access log reports it.
struct AccessRecord {
  std::string_view method;
  const CallStats& stats;
  double duration_ms = 0;
  const arrow::Status& status;
  std::string_view peer;
};

/// \brief `rpc method=... dataset=... rows=... bytes=... duration_ms=... status=...
/// peer=... trace_id=...` ("-" for what is unknown).
std::string FormatAccessText(const AccessRecord& record);

/// \brief One JSON object: msg "rpc", method, dataset, rows, bytes, duration_ms,
/// code (gRPC status name), status (OK or the error), peer, trace_id, span_id (null
/// when unknown). Strings are JSON-escaped; invalid UTF-8 is replaced.
std::string FormatAccessJson(const AccessRecord& record);

}  // namespace quiver::server
