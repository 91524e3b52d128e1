#pragma once

#include <arrow/record_batch.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief Check that every top-level dictionary column of `batch` has its indices
/// within its dictionary. Arrow's Parquet reader does not check them, so a part quiver
/// did not write (a migrated file) may hold indices past the end of the dictionary,
/// which a client would read out of bounds. One pass over the indices.
/// \return IOError saying which column, if one does not.
arrow::Status CheckDictionaryIndices(const arrow::RecordBatch& batch);

}  // namespace quiver::store
