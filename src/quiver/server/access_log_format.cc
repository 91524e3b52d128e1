#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "quiver/server/access_log_format_internal.h"
#include "quiver/server/grpc_status_code_internal.h"

namespace quiver::server {
namespace {

std::string_view OrDash(const std::string& text) {
  return text.empty() ? std::string_view("-") : std::string_view(text);
}

nlohmann::json OrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string FormatAccessText(const AccessRecord& r) {
  std::string line = fmt::format(
      "rpc method={} dataset={} rows={} bytes={} duration_ms={:.3f} status={} peer={} "
      "trace_id={}",
      r.method, OrDash(r.stats.dataset), r.stats.rows, r.stats.bytes, r.duration_ms,
      r.status.ok() ? "OK" : r.status.ToString(), r.peer, OrDash(r.stats.trace_id));
  // Quoted and escaped (a statement holds spaces, quotes and newlines).
  if (!r.stats.statement.empty()) line += fmt::format(" sql={:?}", r.stats.statement);
  return line;
}

std::string FormatAccessJson(const AccessRecord& r) {
  nlohmann::json line = {
      {"msg", "rpc"},
      {"method", r.method},
      {"dataset", OrNull(r.stats.dataset)},
      {"rows", r.stats.rows},
      {"bytes", r.stats.bytes},
      {"duration_ms", std::round(r.duration_ms * 1000) / 1000},
      {"code", GrpcStatusName(GrpcStatusCode(r.status))},
      {"status", r.status.ok() ? "OK" : r.status.ToString()},
      {"peer", r.peer},
      {"trace_id", OrNull(r.stats.trace_id)},
      {"span_id", OrNull(r.stats.span_id)},
  };
  if (!r.stats.statement.empty()) line["sql"] = r.stats.statement;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace quiver::server
