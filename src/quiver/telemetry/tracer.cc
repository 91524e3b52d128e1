#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {

Tracer::Tracer(std::unique_ptr<SpanExporter> exporter, BatchOptions options,
               SamplerOptions sampler)
    : sampler_(sampler), processor_(std::move(exporter), options) {}

std::shared_ptr<Tracer> Tracer::Make(std::unique_ptr<SpanExporter> exporter,
                                     BatchOptions options, SamplerOptions sampler) {
  return std::shared_ptr<Tracer>(new Tracer(std::move(exporter), options, sampler));
}

Span Tracer::StartSpan(std::string_view name, SpanKind kind, const SpanContext& parent) {
  SpanContext context;
  context.span_id = GenerateSpanId();
  if (parent.IsValid()) {
    context.trace_id = parent.trace_id;
    context.trace_state = parent.trace_state;
  } else {
    context.trace_id = GenerateTraceId();
  }
  if (!ShouldSample(sampler_, parent, context.trace_id)) {
    // Not recorded; the context still travels so that downstream services (and the
    // access log) see the trace, with the sampled flag off.
    if (parent.IsValid() && !parent.sampled()) return Span::NonRecording(parent);
    context.trace_flags = 0;
    return Span::NonRecording(std::move(context));
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
