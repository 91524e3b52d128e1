// W3C trace context headers: ParseTraceparent (with a tracestate) and
// IsValidTracestate. An accepted traceparent is valid and formats back to a header
// that parses to the same context.

#include <cstdio>

#include "quiver/telemetry/trace_context.h"

#include "fuzz_util.h"

using quiver::telemetry::FormatTraceparent;
using quiver::telemetry::ParseTraceparent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = quiver::fuzz::AsText(data, size);
  // Bytes after the first newline are the tracestate header.
  std::string_view traceparent = text, tracestate;
  if (auto newline = text.find('\n'); newline != std::string_view::npos) {
    traceparent = text.substr(0, newline);
    tracestate = text.substr(newline + 1);
  }
  (void)quiver::telemetry::IsValidTracestate(tracestate);
  auto context = ParseTraceparent(traceparent, tracestate);
  if (context.ok()) {
    QUIVER_FUZZ_CHECK(context->IsValid());
    auto again = ParseTraceparent(FormatTraceparent(*context));
    QUIVER_FUZZ_CHECK(again.ok());
    QUIVER_FUZZ_CHECK(again->trace_id == context->trace_id);
    QUIVER_FUZZ_CHECK(again->span_id == context->span_id);
    QUIVER_FUZZ_CHECK(again->trace_flags == context->trace_flags);
  }
  return 0;
}
