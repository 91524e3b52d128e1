#include "quiver/telemetry/sampler.h"

#include <cmath>
#include <string>

namespace quiver::telemetry {
namespace {

arrow::Result<double> ParseRatio(std::string_view arg) {
  if (arg.empty()) return 1.0;
  std::string text(arg);
  char* end = nullptr;
  double ratio = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(ratio >= 0.0 && ratio <= 1.0)) {
    return arrow::Status::Invalid(
        "OTEL_TRACES_SAMPLER_ARG: expected a ratio between 0 and 1, got '", arg, "'");
  }
  return ratio;
}

bool TraceIdBelowRatio(const TraceId& trace_id, double ratio) {
  if (ratio >= 1.0) return true;
  if (ratio <= 0.0) return false;
  uint64_t low = 0;
  for (size_t i = 8; i < 16; ++i) low = (low << 8) | trace_id.bytes[i];
  // ratio * 2^64, computed in long double so that it stays exact enough near 1.
  auto bound = static_cast<uint64_t>(
      std::round(static_cast<long double>(ratio) * 18446744073709551616.0L));
  return low < bound;
}

}  // namespace

arrow::Result<SamplerOptions> ParseSampler(std::string_view name, std::string_view arg) {
  SamplerOptions options;
  std::string_view root = name;
  options.parent_based = root.starts_with("parentbased_");
  if (options.parent_based) root.remove_prefix(std::string_view("parentbased_").size());
  if (root == "always_on") {
    options.root = SamplerOptions::Root::kAlwaysOn;
  } else if (root == "always_off") {
    options.root = SamplerOptions::Root::kAlwaysOff;
  } else if (root == "traceidratio") {
    options.root = SamplerOptions::Root::kTraceIdRatio;
    ARROW_ASSIGN_OR_RAISE(options.ratio, ParseRatio(arg));
  } else {
    return arrow::Status::Invalid(
        "OTEL_TRACES_SAMPLER: expected always_on, always_off, traceidratio, "
        "parentbased_always_on, parentbased_always_off or parentbased_traceidratio, "
        "got '",
        name, "'");
  }
  return options;
}

bool ShouldSample(const SamplerOptions& options, const SpanContext& parent,
                  const TraceId& trace_id) {
  if (options.parent_based && parent.IsValid()) return parent.sampled();
  switch (options.root) {
    case SamplerOptions::Root::kAlwaysOn:
      return true;
    case SamplerOptions::Root::kAlwaysOff:
      return false;
    case SamplerOptions::Root::kTraceIdRatio:
      return TraceIdBelowRatio(trace_id, options.ratio);
  }
  return true;
}

}  // namespace quiver::telemetry
