#include "quiver/telemetry/flight/client_tracing_middleware.h"

#include <string>

#include "quiver/telemetry/active_span.h"
#include "quiver/telemetry/flight/trace_headers.h"

namespace quiver::telemetry {
namespace {

namespace flight = arrow::flight;

class ClientTracingMiddleware : public flight::ClientMiddleware {
 public:
  ClientTracingMiddleware(Span span, SpanContext propagated)
      : span_(std::move(span)), propagated_(std::move(propagated)) {}

  void SendingHeaders(flight::AddCallHeaders* outgoing_headers) override {
    InjectTraceContext(propagated_, outgoing_headers);
  }
  void ReceivedHeaders(const flight::CallHeaders&) override {}
  void CallCompleted(const arrow::Status& status) override {
    if (status.ok()) {
      span_.SetStatus(SpanStatusCode::kOk);
    } else {
      span_.RecordError(status);
    }
    span_.End();
  }

 private:
  Span span_;
  SpanContext propagated_;
};

class ClientTracingMiddlewareFactory : public flight::ClientMiddlewareFactory {
 public:
  explicit ClientTracingMiddlewareFactory(std::shared_ptr<Tracer> tracer)
      : tracer_(std::move(tracer)) {}

  void StartCall(const flight::CallInfo& info,
                 std::unique_ptr<flight::ClientMiddleware>* middleware) override {
    SpanContext active = ActiveSpanContext();
    Span span;
    if (tracer_) {
      std::string method = flight::ToString(info.method);
      span = tracer_->StartSpan("client." + method, SpanKind::kClient, active);
      span.SetAttribute("rpc.system", "grpc");
      span.SetAttribute("rpc.service", "arrow.flight.protocol.FlightService");
      span.SetAttribute("rpc.method", method);
    }
    SpanContext propagated = span.context().IsValid() ? span.context() : active;
    *middleware =
        std::make_unique<ClientTracingMiddleware>(std::move(span), std::move(propagated));
  }

 private:
  std::shared_ptr<Tracer> tracer_;
};

}  // namespace

std::shared_ptr<flight::ClientMiddlewareFactory> MakeClientTracingMiddlewareFactory(
    std::shared_ptr<Tracer> tracer) {
  return std::make_shared<ClientTracingMiddlewareFactory>(std::move(tracer));
}

}  // namespace quiver::telemetry
