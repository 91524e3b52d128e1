#include "quiver/telemetry/active_span.h"

#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {
namespace {

struct ActiveEntry {
  std::shared_ptr<Tracer> tracer;
  SpanContext context;
};

ActiveEntry& Active() {
  thread_local ActiveEntry entry;
  return entry;
}

}  // namespace

ScopedActiveSpan::ScopedActiveSpan(const Span& span)
    : thread_(std::this_thread::get_id()) {
  ActiveEntry& active = Active();
  previous_tracer_ = std::move(active.tracer);
  previous_context_ = std::move(active.context);
  active.tracer = span.tracer();
  active.context = span.context();
}

ScopedActiveSpan::~ScopedActiveSpan() {
  if (std::this_thread::get_id() != thread_) return;
  ActiveEntry& active = Active();
  active.tracer = std::move(previous_tracer_);
  active.context = std::move(previous_context_);
}

Span StartSpan(std::string_view name) {
  const ActiveEntry& active = Active();
  if (!active.tracer) return Span();
  return active.tracer->StartSpan(name, SpanKind::kInternal, active.context);
}

SpanContext ActiveSpanContext() { return Active().context; }

std::shared_ptr<Tracer> ActiveTracer() { return Active().tracer; }

}  // namespace quiver::telemetry
