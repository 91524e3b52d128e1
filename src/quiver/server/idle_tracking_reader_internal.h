#pragma once

#include <memory>

#include <arrow/record_batch.h>

#include "quiver/server/stream_limits.h"

namespace quiver::server {

/// \brief Wrap the reader a DoGet streams from so that the stream holds `slot` for as
/// long as Flight holds the reader, and the idle clock runs only between batches (while
/// Flight writes the last batch to the client), not while the store reads the next.
std::shared_ptr<arrow::RecordBatchReader> MakeIdleTrackingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, std::unique_ptr<StreamSlot> slot);

}  // namespace quiver::server
