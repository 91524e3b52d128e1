#include <chrono>
#include <string_view>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "quiver/app/json_log_formatter_internal.h"
#include "quiver/server/access_log.h"

namespace quiver::app {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg,
                              spdlog::memory_buf_t& dest) {
  using namespace std::chrono;
  auto since_epoch = msg.time.time_since_epoch();
  auto secs = duration_cast<seconds>(since_epoch);
  auto millis = duration_cast<milliseconds>(since_epoch - secs).count();
  std::string ts =
      fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                  fmt::gmtime(static_cast<std::time_t>(secs.count())), millis);
  auto level = spdlog::level::to_string_view(msg.level);
  std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
  std::string_view payload(msg.payload.data(), msg.payload.size());

  std::string head = fmt::format(R"({{"ts":"{}","level":"{}","logger":)", ts,
                                 std::string_view(level.data(), level.size()));
  head += nlohmann::json(std::string(logger)).dump();
  dest.append(head.data(), head.data() + head.size());
  if (logger == server::kAccessLoggerName && payload.size() >= 2 &&
      payload.front() == '{' && payload.back() == '}') {
    // {"msg":"rpc",...} -> ,"msg":"rpc",...}
    dest.push_back(',');
    dest.append(payload.data() + 1, payload.data() + payload.size());
  } else {
    std::string text =
        nlohmann::json(std::string(payload))
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string tail = ",\"msg\":" + text + "}";
    dest.append(tail.data(), tail.data() + tail.size());
  }
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

}  // namespace quiver::app
