#pragma once

/// \file
/// quiver's tracer: W3C trace context in, OTLP spans out.
///
/// A process makes one Tracer (MakeTracer in tracing_config.h, or Tracer::Make with any
/// exporter) and starts spans from it. Code that should not know the tracer, such as
/// the storage layer, calls telemetry::StartSpan (active_span.h), which makes a child
/// of the span active on the calling thread, or a free no-op span when there is none.
/// This library does not depend on Flight.

#include <chrono>
#include <memory>
#include <string_view>

#include "quiver/telemetry/batch_span_processor.h"
#include "quiver/telemetry/sampler.h"
#include "quiver/telemetry/span.h"
#include "quiver/telemetry/span_exporter.h"

namespace quiver::telemetry {

/// \brief Starts spans and hands finished ones to a batch processor.
///
/// Sampling follows `SamplerOptions` (default parent-based, always on: a root span or a
/// child of a sampled parent records; a child of an unsampled parent does not). A span
/// that is not sampled still propagates a context: its parent's, or for a root span a
/// new one with the sampled flag off. Thread-safe.
class Tracer : public std::enable_shared_from_this<Tracer> {
 public:
  /// \brief A tracer exporting through `exporter` (must not be null) in batches.
  static std::shared_ptr<Tracer> Make(
      std::unique_ptr<SpanExporter> exporter,
      BatchOptions options = BatchOptions::Defaults(),
      SamplerOptions sampler = SamplerOptions::Defaults());

  /// \brief Start a span, child of `parent` when it is valid, a root span otherwise.
  Span StartSpan(std::string_view name, SpanKind kind = SpanKind::kInternal,
                 const SpanContext& parent = {});

  /// \brief Wait until queued spans have been exported (for tests and shutdown).
  bool ForceFlush(std::chrono::milliseconds timeout) {
    return processor_.ForceFlush(timeout);
  }
  /// \brief Export what is queued (single attempt) and stop. Spans ended afterwards
  /// are dropped. Idempotent.
  void Shutdown() { processor_.Shutdown(); }

  /// \brief What happened to ended spans so far (for the spans-dropped metric).
  SpanCounts counts() const { return processor_.counts(); }

 private:
  friend class Span;
  Tracer(std::unique_ptr<SpanExporter> exporter, BatchOptions options,
         SamplerOptions sampler);
  void OnEnd(SpanData&& span) { processor_.OnEnd(std::move(span)); }

  const SamplerOptions sampler_;
  BatchSpanProcessor processor_;
};

}  // namespace quiver::telemetry
