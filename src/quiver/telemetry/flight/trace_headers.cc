#include "quiver/telemetry/flight/trace_headers.h"

#include <string>

namespace quiver::telemetry {

SpanContext ExtractTraceContext(const arrow::flight::CallHeaders& headers) {
  auto parent = headers.find(kTraceparentHeader);
  if (parent == headers.end()) return {};
  std::string state;
  auto [begin, end] = headers.equal_range(kTracestateHeader);
  for (auto it = begin; it != end; ++it) {
    if (!state.empty()) state += ',';
    state.append(it->second.data(), it->second.size());
  }
  auto context = ParseTraceparent(parent->second, state);
  return context.ok() ? *context : SpanContext{};
}

void InjectTraceContext(const SpanContext& context,
                        arrow::flight::AddCallHeaders* headers) {
  if (!context.IsValid()) return;
  headers->AddHeader(kTraceparentHeader, FormatTraceparent(context));
  if (!context.trace_state.empty()) {
    headers->AddHeader(kTracestateHeader, context.trace_state);
  }
}

}  // namespace quiver::telemetry
