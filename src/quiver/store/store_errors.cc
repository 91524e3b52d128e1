#include "quiver/store/store_errors.h"

#include <spdlog/spdlog.h>

namespace quiver::store {

arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name) {
  spdlog::error("storage: {} of dataset '{}' failed: {}", what, name.ToString(),
                cause.ToString());
  return arrow::Status(arrow::StatusCode::IOError,
                       "storage failure during " + std::string(what) + " of dataset '" +
                           name.ToString() + "'",
                       cause.detail());
}

arrow::Status DatasetNotFound(const DatasetName& name) {
  return arrow::Status::KeyError("dataset '", name.ToString(), "' not found");
}

}  // namespace quiver::store
