#include "quiver/server/access_log.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "quiver/server/call_stats.h"

namespace quiver::server {
namespace {

using Clock = std::chrono::steady_clock;

class AccessLogMiddleware : public arrow::flight::ServerMiddleware {
 public:
  AccessLogMiddleware(arrow::flight::FlightMethod method, std::string peer)
      : method_(method), peer_(std::move(peer)), start_(Clock::now()) {}

  std::string name() const override { return "AccessLogMiddleware"; }
  void SendingHeaders(arrow::flight::AddCallHeaders*) override {}

  void CallCompleted(const arrow::Status& status) override {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    auto level = status.ok() ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(
        level,
        "rpc method={} dataset={} rows={} bytes={} duration_ms={:.3f} status={} peer={}",
        arrow::flight::ToString(method_), stats_.dataset.empty() ? "-" : stats_.dataset,
        stats_.rows, stats_.bytes, ms, status.ok() ? "OK" : status.ToString(), peer_);
  }

  CallStats stats_;

 private:
  arrow::flight::FlightMethod method_;
  std::string peer_;
  Clock::time_point start_;
};

class AccessLogMiddlewareFactory : public arrow::flight::ServerMiddlewareFactory {
 public:
  arrow::Status StartCall(
      const arrow::flight::CallInfo& info,
      const arrow::flight::ServerCallContext& context,
      std::shared_ptr<arrow::flight::ServerMiddleware>* middleware) override {
    *middleware = std::make_shared<AccessLogMiddleware>(info.method, context.peer());
    return arrow::Status::OK();
  }
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

std::shared_ptr<arrow::flight::ServerMiddlewareFactory> MakeAccessLogMiddlewareFactory() {
  return std::make_shared<AccessLogMiddlewareFactory>();
}

}  // namespace quiver::server
