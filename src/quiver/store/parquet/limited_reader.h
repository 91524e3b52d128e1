#pragma once

#include <cstdint>
#include <memory>

#include <arrow/record_batch.h>

namespace quiver::store {

/// \brief The first `limit` rows of `reader` (the last batch sliced). Once the limit is
/// reached the underlying reader is closed at once, which releases its files and pin.
std::shared_ptr<arrow::RecordBatchReader> MakeLimitedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, int64_t limit);

}  // namespace quiver::store
