#include "quiver/app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace quiver::app {

arrow::Status ConfigureLogging(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    return arrow::Status::Invalid("unknown log level '", level, "'");
  }
  auto logger = spdlog::stderr_color_mt("quiver");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  return arrow::Status::OK();
}

}  // namespace quiver::app
