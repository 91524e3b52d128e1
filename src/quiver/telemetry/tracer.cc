#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {

Tracer::Tracer(std::unique_ptr<SpanExporter> exporter, BatchOptions options)
    : processor_(std::move(exporter), options) {}

std::shared_ptr<Tracer> Tracer::Make(std::unique_ptr<SpanExporter> exporter,
                                     BatchOptions options) {
  return std::shared_ptr<Tracer>(new Tracer(std::move(exporter), options));
}

Span Tracer::StartSpan(std::string_view name, SpanKind kind, const SpanContext& parent) {
  SpanContext context;
  context.span_id = GenerateSpanId();
  if (parent.IsValid()) {
    if (!parent.sampled()) return Span::NonRecording(parent);
    context.trace_id = parent.trace_id;
    context.trace_state = parent.trace_state;
  } else {
    context.trace_id = GenerateTraceId();
  }
  context.trace_flags = SpanContext::kSampledFlag;
  auto data = std::make_unique<SpanData>();
  if (parent.IsValid()) data->parent_span_id = parent.span_id;
  data->name = std::string(name);
  data->kind = kind;
  data->start_unix_nano = NowUnixNano();
  return Span(std::move(context), std::move(data), shared_from_this());
}

}  // namespace quiver::telemetry
