#include "quiver/telemetry/span.h"

#include <chrono>

#include "quiver/telemetry/tracer.h"

namespace quiver::telemetry {

int64_t NowUnixNano() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Span::Span(SpanContext context, std::unique_ptr<SpanData> data,
           std::shared_ptr<Tracer> tracer)
    : context_(std::move(context)), data_(std::move(data)), tracer_(std::move(tracer)) {}

Span Span::NonRecording(SpanContext context) {
  Span span;
  span.context_ = std::move(context);
  return span;
}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = std::move(other.context_);
    data_ = std::move(other.data_);
    tracer_ = std::move(other.tracer_);
  }
  return *this;
}

Span::~Span() { End(); }

void Span::Set(std::string_view key, AttributeValue value) {
  if (!data_) return;
  for (auto& attribute : data_->attributes) {
    if (attribute.key == key) {
      attribute.value = std::move(value);
      return;
    }
  }
  data_->attributes.push_back({std::string(key), std::move(value)});
}

void Span::SetAttribute(std::string_view key, std::string_view value) {
  if (data_) Set(key, std::string(value));
}
void Span::SetAttribute(std::string_view key, int64_t value) { Set(key, value); }
void Span::SetAttribute(std::string_view key, double value) { Set(key, value); }
void Span::SetAttribute(std::string_view key, bool value) { Set(key, value); }

void Span::AddEvent(std::string_view name, std::vector<Attribute> attributes) {
  if (!data_) return;
  data_->events.push_back({std::string(name), NowUnixNano(), std::move(attributes)});
}

void Span::SetStatus(SpanStatusCode code, std::string_view message) {
  if (!data_ || data_->status == SpanStatusCode::kOk) return;
  data_->status = code;
  // The specification keeps a description for Error only.
  data_->status_message = code == SpanStatusCode::kError ? std::string(message) : "";
}

void Span::RecordError(const arrow::Status& status) {
  if (!data_ || status.ok()) return;
  AddEvent("exception", {{"exception.type", std::string(status.CodeAsString())},
                         {"exception.message", status.message()}});
  SetStatus(SpanStatusCode::kError, status.ToString());
}

void Span::End() {
  if (!data_) return;
  data_->end_unix_nano = NowUnixNano();
  data_->context = context_;
  auto data = std::move(data_);
  tracer_->OnEnd(std::move(*data));
  tracer_.reset();
}

}  // namespace quiver::telemetry
