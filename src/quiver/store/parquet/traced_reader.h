#pragma once

#include <functional>
#include <memory>

#include <arrow/record_batch.h>

#include "quiver/telemetry/span.h"

namespace quiver::store {

/// \brief Wrap `reader` so that `span` covers the whole read: it counts rows and
/// batches, accumulates the time spent inside ReadNext (quiver.read_seconds, which
/// excludes the time the consumer takes between batches), records a read error, and
/// ends at the end of the stream or when the reader is destroyed.
///
/// `at_end` (optional) adds attributes just before the span ends.
///
/// Returns `reader` itself, unwrapped, when the span does not record (tracing off).
std::shared_ptr<arrow::RecordBatchReader> MakeTracedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, telemetry::Span span,
    std::function<void(telemetry::Span&)> at_end = nullptr);

}  // namespace quiver::store
