#pragma once

#include <vector>

#include <arrow/type_fwd.h>

#include "quiver/store/model/manifest.h"

namespace parquet {
class FileMetaData;
}

namespace quiver::store {

/// \brief Summarise a part's row-group statistics per top-level primitive column:
/// the null count over all row groups, and min/max when every row group has them.
/// Columns without statistics (nested, or written without) are left out.
std::vector<ColumnStats> SummarizeStatistics(const parquet::FileMetaData& metadata,
                                             const arrow::Schema& schema);

}  // namespace quiver::store
