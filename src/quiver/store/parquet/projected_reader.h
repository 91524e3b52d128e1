#pragma once

#include <memory>
#include <vector>

#include <arrow/record_batch.h>

namespace quiver::store {

/// \brief A reader returning, for each batch of `reader`, the columns at `positions`
/// in that order, as batches of `schema` (which must describe them).
std::shared_ptr<arrow::RecordBatchReader> MakeProjectedReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, std::vector<int> positions,
    std::shared_ptr<arrow::Schema> schema);

}  // namespace quiver::store
