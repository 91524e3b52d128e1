#pragma once

#include <memory>

#include <spdlog/formatter.h>

namespace quiver::app {

/// \brief Formats every log record as one JSON object per line:
/// {"ts":"2026-01-02T03:04:05.678Z","level":"info","logger":"quiver","msg":"..."}.
///
/// Records of the access logger (server::kAccessLoggerName) already carry a JSON
/// object as their message; its fields are merged after ts and level instead of being
/// quoted. Thread-safe (spdlog clones it per sink).
class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace quiver::app
