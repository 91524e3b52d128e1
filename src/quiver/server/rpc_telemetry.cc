#include "quiver/server/rpc_telemetry.h"

#include <chrono>
#include <optional>
#include <string>

#include "quiver/server/call_stats_internal.h"
#include "quiver/server/grpc_status_code_internal.h"
#include "quiver/telemetry/active_span.h"
#include "quiver/telemetry/flight/trace_headers.h"

namespace quiver::server {
namespace {

namespace flight = arrow::flight;
using Clock = std::chrono::steady_clock;

constexpr char kRpcService[] = "arrow.flight.protocol.FlightService";

class RpcTelemetryMiddleware : public flight::ServerMiddleware {
 public:
  RpcTelemetryMiddleware(flight::FlightMethod method, telemetry::Span span,
                         const flight::ServerCallContext& context,
                         std::shared_ptr<ServerMetrics> metrics)
      : context_(context),
        method_(method),
        method_name_(flight::ToString(method)),
        span_(std::move(span)),
        stats_(GetCallStats(context)),
        metrics_(std::move(metrics)),
        start_(Clock::now()) {
    if (span_.context().IsValid()) {
      stats_->trace_id = span_.context().trace_id.ToHex();
      // A non-recording span carries the caller's span id: not ours to report.
      if (span_.recording()) stats_->span_id = span_.context().span_id.ToHex();
      active_.emplace(span_);
    }
    if (metrics_) metrics_->in_flight->WithLabels({method_name_}).Add(1);
  }

  /// Flight completes every call it started; should a path ever skip CallCompleted,
  /// the span still ends and the in-flight gauge still comes down.
  ~RpcTelemetryMiddleware() override {
    if (!completed_) CallCompleted(arrow::Status::Cancelled("call was never completed"));
  }

  std::string name() const override { return "RpcTelemetryMiddleware"; }
  void SendingHeaders(flight::AddCallHeaders*) override {}

  void CallCompleted(const arrow::Status& status) override {
    if (completed_) return;
    completed_ = true;
    active_.reset();
    int code = GrpcStatusCode(status);
    if (span_.recording()) {
      span_.SetAttribute("rpc.grpc.status_code", code);
      if (!stats_->dataset.empty()) span_.SetAttribute("quiver.dataset", stats_->dataset);
      span_.SetAttribute("quiver.rows", stats_->rows);
      span_.SetAttribute("quiver.bytes", stats_->bytes);
      if (status.ok()) {
        span_.SetStatus(telemetry::SpanStatusCode::kOk);
      } else {
        span_.RecordError(status);
      }
      span_.End();
    }
    if (metrics_) Record(status, code);
  }

 private:
  void Record(const arrow::Status& status, int code) {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    metrics_->in_flight->WithLabels({method_name_}).Add(-1);
    metrics_->calls->WithLabels({method_name_, std::string(GrpcStatusName(code))})
        .Increment();
    metrics_->latency->WithLabels({method_name_}).Observe(seconds);
    if (method_ == flight::FlightMethod::DoPut) {
      metrics_->rows_received->Increment(static_cast<double>(stats_->rows));
      metrics_->bytes_received->Increment(static_cast<double>(stats_->bytes));
      // A client that disconnects mid-stream may surface as another error. (From the
      // destructor the status is Cancelled, so context_, maybe gone, is not read.)
      if (status.IsCancelled() || context_.is_cancelled()) {
        metrics_->uploads_aborted->Increment();
      } else if (!status.ok()) {
        metrics_->uploads_failed->Increment();
      }
    } else if (method_ == flight::FlightMethod::DoGet) {
      metrics_->rows_sent->Increment(static_cast<double>(stats_->rows));
      metrics_->bytes_sent->Increment(static_cast<double>(stats_->bytes));
    }
  }

  /// Valid until the call completes (Flight calls CallCompleted before destroying it).
  const flight::ServerCallContext& context_;
  flight::FlightMethod method_;
  std::string method_name_;
  telemetry::Span span_;
  CallStats* stats_;
  std::shared_ptr<ServerMetrics> metrics_;
  Clock::time_point start_;
  std::optional<telemetry::ScopedActiveSpan> active_;
  bool completed_ = false;
};

class RpcTelemetryMiddlewareFactory : public flight::ServerMiddlewareFactory {
 public:
  explicit RpcTelemetryMiddlewareFactory(RpcTelemetryOptions options)
      : options_(std::move(options)) {}

  arrow::Status StartCall(
      const flight::CallInfo& info, const flight::ServerCallContext& context,
      std::shared_ptr<flight::ServerMiddleware>* middleware) override {
    telemetry::SpanContext parent =
        telemetry::ExtractTraceContext(context.incoming_headers());
    telemetry::Span span;
    std::string method = flight::ToString(info.method);
    if (options_.tracer) {
      span = options_.tracer->StartSpan(std::string(kRpcService) + "/" + method,
                                        telemetry::SpanKind::kServer, parent);
      span.SetAttribute("rpc.system", "grpc");
      span.SetAttribute("rpc.service", kRpcService);
      span.SetAttribute("rpc.method", method);
      span.SetAttribute("network.peer.address", context.peer());
    } else {
      span = telemetry::Span::NonRecording(parent);
    }
    *middleware = std::make_shared<RpcTelemetryMiddleware>(info.method, std::move(span),
                                                           context, options_.metrics);
    return arrow::Status::OK();
  }

 private:
  RpcTelemetryOptions options_;
};

}  // namespace

std::shared_ptr<flight::ServerMiddlewareFactory> MakeRpcTelemetryMiddlewareFactory(
    RpcTelemetryOptions options) {
  return std::make_shared<RpcTelemetryMiddlewareFactory>(std::move(options));
}

}  // namespace quiver::server
