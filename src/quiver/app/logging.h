#pragma once

#include <string>

#include <arrow/status.h>

namespace quiver::app {

/// \brief Send spdlog's default logger to stderr with quiver's line format.
/// \return Invalid for an unknown level (trace, debug, info, warn, error, off).
arrow::Status ConfigureLogging(const std::string& level);

}  // namespace quiver::app
