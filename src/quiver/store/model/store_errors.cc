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

arrow::Status UnstorableData(const arrow::Status& cause, const DatasetName& name) {
  if (cause.ok() || IsStorageFailure(cause) || cause.IsOutOfMemory()) return cause;
  spdlog::warn("storage: data of dataset '{}' refused: {}", name.ToString(),
               cause.ToString());
  std::string message =
      "cannot store the data of '" + name.ToString() + "' as Parquet: " + cause.message();
  if (cause.IsNotImplemented()) return arrow::Status::NotImplemented(std::move(message));
  return arrow::Status::Invalid(std::move(message));
}

arrow::Status FilterFailed(const arrow::Status& cause) {
  if (cause.ok() || cause.IsOutOfMemory() || cause.IsCancelled()) return cause;
  return arrow::Status(cause.IsNotImplemented() ? arrow::StatusCode::NotImplemented
                                                : arrow::StatusCode::Invalid,
                       "the filter cannot be evaluated on the rows: " + cause.message(),
                       std::make_shared<ClientErrorDetail>());
}

arrow::Status DatasetNotFound(const DatasetName& name) {
  return arrow::Status::KeyError("dataset '", name.ToString(), "' not found");
}

}  // namespace quiver::store
