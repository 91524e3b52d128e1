#pragma once

#include <memory>

#include <arrow/record_batch.h>

#include "quiver/server/call_stats_internal.h"

namespace quiver::server {

/// \brief Wrap a reader so that every batch it yields adds its rows and buffer bytes
/// to `stats`. `stats` must outlive the reader's use (it lives as long as the call).
std::shared_ptr<arrow::RecordBatchReader> MakeCountingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, CallStats* stats);

}  // namespace quiver::server
