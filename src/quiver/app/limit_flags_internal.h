#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include <arrow/status.h>

#include "quiver/server/stream_limits.h"

namespace quiver::app {

/// \brief quiverd's flags for stream and upload limits (0: no limit).
struct LimitFlags {
  int64_t max_upload_bytes = 0;
  int64_t max_streams = 1024;
  int64_t max_streams_per_user = 256;
  std::string stream_idle_timeout = "10m";
};

/// \brief Declare --max-upload-bytes, --max-streams, --max-streams-per-user and
/// --stream-idle-timeout on `app`.
void AddLimitFlags(CLI::App& app, LimitFlags& flags);

/// \brief Put the flags into `options` (its metrics are left as they are).
/// \return Invalid naming a bad flag value.
arrow::Status ApplyLimitFlags(const LimitFlags& flags, server::LimitOptions* options);

}  // namespace quiver::app
