#pragma once

#include <string_view>

#include <arrow/result.h>

#include "quiver/telemetry/trace_context.h"

namespace quiver::telemetry {

/// \brief Which spans are recorded (OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG).
struct SamplerOptions {
  enum class Root { kAlwaysOn, kAlwaysOff, kTraceIdRatio };
  /// Decides for spans without a parent, and for every span when !parent_based.
  Root root = Root::kAlwaysOn;
  /// For kTraceIdRatio: the fraction of traces recorded, in [0, 1].
  double ratio = 1.0;
  /// A span with a valid parent follows the parent's sampled flag (the
  /// specification's ParentBased sampler, with its default delegates).
  bool parent_based = true;

  /// \brief parentbased_always_on, the specification's default.
  static SamplerOptions Defaults() { return {}; }
};

/// \brief The sampler an OTEL_TRACES_SAMPLER value names: always_on, always_off,
/// traceidratio, parentbased_always_on, parentbased_always_off,
/// parentbased_traceidratio. `arg` is OTEL_TRACES_SAMPLER_ARG (empty when unset): the
/// ratio for the *traceidratio samplers (default 1.0), ignored by the others.
/// \return Invalid for another name or a ratio that is not a number in [0, 1].
arrow::Result<SamplerOptions> ParseSampler(std::string_view name, std::string_view arg);

/// \brief Whether a new span in trace `trace_id`, child of `parent` (invalid for a
/// root span), is recorded.
///
/// The ratio decision is deterministic per trace: the trace id's low 64 bits, read as
/// a big-endian number, below ratio * 2^64 (as OpenTelemetry's Python and Java SDKs
/// do), so every service with the same ratio keeps the same traces.
bool ShouldSample(const SamplerOptions& options, const SpanContext& parent,
                  const TraceId& trace_id);

}  // namespace quiver::telemetry
