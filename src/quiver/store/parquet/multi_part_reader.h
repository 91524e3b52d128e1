#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

namespace quiver::store {

/// \brief Opens the reader of part `index`.
using PartOpener =
    std::function<arrow::Result<std::shared_ptr<arrow::RecordBatchReader>>(size_t index)>;

/// \brief One reader over `part_count` parts read one after the other, in order; each
/// part is opened only when the previous one is exhausted, so memory stays that of
/// one part reader. `keep_alive` (e.g. a version pin) lives as long as the reader.
std::shared_ptr<arrow::RecordBatchReader> MakeMultiPartReader(
    std::shared_ptr<arrow::Schema> schema, size_t part_count, PartOpener open,
    std::shared_ptr<void> keep_alive);

}  // namespace quiver::store
