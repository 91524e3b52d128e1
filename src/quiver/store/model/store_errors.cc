#include "quiver/store/model/store_errors.h"

#include <spdlog/spdlog.h>

#include "quiver/store/model/storage_error.h"

namespace quiver::store {

arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name) {
  spdlog::error("storage: {} of dataset '{}' failed: {}", what, name.ToString(),
                cause.ToString());
  // StorageFailure decides what of the cause crosses the store's boundary (its errno).
  return StorageFailure(cause, "storage failure during " + std::string(what) +
                                   " of dataset '" + name.ToString() + "'");
}

arrow::Status DatasetNotFound(const DatasetName& name) {
  return arrow::Status::KeyError("dataset '", name.ToString(), "' not found");
}

}  // namespace quiver::store
