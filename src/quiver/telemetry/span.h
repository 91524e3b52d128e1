#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/status.h>

#include "quiver/telemetry/span_data.h"

namespace quiver::telemetry {

class Tracer;

/// \brief A span being recorded, or a non-recording one that only carries a context.
///
/// Made by Tracer::StartSpan or telemetry::StartSpan. A span ends when End() is called
/// or when it is destroyed, and is then handed to its tracer for export; later calls
/// are ignored. Every method of a non-recording span (tracing off, or not sampled) is
/// a cheap no-op, so instrumented code never checks.
///
/// Movable, not copyable. Not thread-safe: one span is used by one thread at a time.
class Span {
 public:
  /// \brief A non-recording span with an invalid context.
  Span() = default;
  /// \brief A non-recording span that propagates `context` (e.g. an unsampled parent).
  static Span NonRecording(SpanContext context);

  Span(Span&&) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span();

  /// \brief Whether this span records and will be exported.
  bool recording() const { return data_ != nullptr; }
  /// \brief The span's identity; invalid for a default-constructed span.
  const SpanContext& context() const { return context_; }
  /// \brief The tracer that records this span; null when not recording.
  const std::shared_ptr<Tracer>& tracer() const { return tracer_; }

  void SetAttribute(std::string_view key, std::string_view value);
  void SetAttribute(std::string_view key, const char* value) {
    SetAttribute(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, int64_t value);
  void SetAttribute(std::string_view key, int value) {
    SetAttribute(key, static_cast<int64_t>(value));
  }
  void SetAttribute(std::string_view key, double value);
  void SetAttribute(std::string_view key, bool value);

  /// \brief Record a timestamped event.
  void AddEvent(std::string_view name, std::vector<Attribute> attributes = {});
  /// \brief Set the status; an Ok status is final (later statuses are ignored).
  void SetStatus(SpanStatusCode code, std::string_view message = {});
  /// \brief Record a failed status: an "exception" event with the message and an
  /// Error status. Does nothing for an OK status.
  void RecordError(const arrow::Status& status);

  /// \brief End the span now. Idempotent.
  void End();

 private:
  friend class Tracer;
  Span(SpanContext context, std::unique_ptr<SpanData> data,
       std::shared_ptr<Tracer> tracer);
  void Set(std::string_view key, AttributeValue value);

  SpanContext context_;
  std::unique_ptr<SpanData> data_;
  std::shared_ptr<Tracer> tracer_;
};

}  // namespace quiver::telemetry
