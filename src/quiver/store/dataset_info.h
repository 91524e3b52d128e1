#pragma once

#include <cstdint>
#include <memory>

#include <arrow/type_fwd.h>

#include "quiver/store/dataset_name.h"

namespace quiver::store {

/// \brief What the store knows about one committed dataset.
struct DatasetInfo {
  DatasetName name;
  /// The Arrow schema the dataset was uploaded with.
  std::shared_ptr<arrow::Schema> schema;
  int64_t num_rows = 0;
  /// Size of the stored Parquet file, in bytes.
  int64_t stored_bytes = 0;
};

}  // namespace quiver::store
