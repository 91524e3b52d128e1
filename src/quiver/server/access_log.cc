#include "quiver/server/access_log.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "quiver/server/access_log_format_internal.h"
#include "quiver/server/call_stats_internal.h"

namespace quiver::server {
namespace {

using Clock = std::chrono::steady_clock;

class AccessLogMiddleware : public arrow::flight::ServerMiddleware {
 public:
  AccessLogMiddleware(arrow::flight::FlightMethod method, std::string peer,
                      std::shared_ptr<spdlog::logger> logger, AccessLogFormat format)
      : method_(method),
        peer_(std::move(peer)),
        start_(Clock::now()),
        logger_(std::move(logger)),
        format_(format) {}

  std::string name() const override { return "AccessLogMiddleware"; }
  void SendingHeaders(arrow::flight::AddCallHeaders*) override {}

  void CallCompleted(const arrow::Status& status) override {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    auto level = status.ok() ? spdlog::level::info : spdlog::level::warn;
    std::string method = arrow::flight::ToString(method_);
    AccessRecord record{method, stats_, ms, status, peer_};
    logger_->log(level, format_ == AccessLogFormat::kJson ? FormatAccessJson(record)
                                                          : FormatAccessText(record));
  }

  CallStats stats_;

 private:
  arrow::flight::FlightMethod method_;
  std::string peer_;
  Clock::time_point start_;
  std::shared_ptr<spdlog::logger> logger_;
  AccessLogFormat format_;
};

class AccessLogMiddlewareFactory : public arrow::flight::ServerMiddlewareFactory {
 public:
  explicit AccessLogMiddlewareFactory(AccessLogOptions options) : options_(options) {
    logger_ = spdlog::get(kAccessLoggerName);
    if (!logger_) logger_ = spdlog::default_logger();
  }

  arrow::Status StartCall(
      const arrow::flight::CallInfo& info,
      const arrow::flight::ServerCallContext& context,
      std::shared_ptr<arrow::flight::ServerMiddleware>* middleware) override {
    *middleware = std::make_shared<AccessLogMiddleware>(info.method, context.peer(),
                                                        logger_, options_.format);
    return arrow::Status::OK();
  }

 private:
  AccessLogOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace

CallStats* GetCallStats(const arrow::flight::ServerCallContext& context) {
  auto* middleware = context.GetMiddleware(kAccessLogMiddlewareKey);
  if (middleware != nullptr)
    return &static_cast<AccessLogMiddleware*>(middleware)->stats_;
  thread_local CallStats scratch;
  scratch = CallStats{};
  return &scratch;
}

std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeAccessLogMiddlewareFactory(
    AccessLogOptions options) {
  return std::make_shared<AccessLogMiddlewareFactory>(options);
}

}  // namespace quiver::server
