#pragma once

#include <string>

#include <arrow/status.h>

namespace quiver::app {

/// \brief Send spdlog's default logger, and the access logger, to stderr.
/// \param format "text" (quiver's line format) or "json" (one JSON object per line,
///        see JsonLogFormatter).
/// \return Invalid for an unknown level (trace, debug, info, warn, error, off) or
///         format.
arrow::Status ConfigureLogging(const std::string& level,
                               const std::string& format = "text");

}  // namespace quiver::app
