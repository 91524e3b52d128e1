#include "quiver/store/parquet/part_options.h"

#include <arrow/util/compression.h>

namespace quiver::store {

WriteOptions WriteOptions::Defaults() {
  WriteOptions options;
  options.compression = arrow::Compression::ZSTD;
  return options;
}

ReadOptions ReadOptions::Defaults() { return ReadOptions{}; }

}  // namespace quiver::store
