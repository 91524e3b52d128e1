#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "quiver/app/json_log_formatter_internal.h"
#include "quiver/app/logging_internal.h"
#include "quiver/server/access_log.h"

namespace quiver::app {

arrow::Status ConfigureLogging(const std::string& level, const std::string& format) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    return arrow::Status::Invalid("unknown log level '", level, "'");
  }
  if (format != "text" && format != "json") {
    return arrow::Status::Invalid("unknown log format '", format, "' (text, json)");
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  if (format == "json") {
    sink->set_formatter(std::make_unique<JsonLogFormatter>());
  } else {
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  }
  auto logger = std::make_shared<spdlog::logger>("quiver", sink);
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  auto access = std::make_shared<spdlog::logger>(server::kAccessLoggerName, sink);
  access->set_level(parsed);
  spdlog::drop(server::kAccessLoggerName);
  spdlog::register_logger(access);
  return arrow::Status::OK();
}

}  // namespace quiver::app
