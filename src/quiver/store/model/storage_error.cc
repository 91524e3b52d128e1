#include "quiver/store/model/storage_error.h"

#include <cerrno>
#include <cstring>

#include <arrow/util/io_util.h>

namespace quiver::store {

std::string StorageFailureDetail::ToString() const {
  if (error_number_ == 0) return "storage failure";
  return std::string("storage failure (") + std::strerror(error_number_) + ")";
}

const StorageFailureDetail* StorageFailureOf(const arrow::Status& status) {
  if (status.ok() || status.detail() == nullptr) return nullptr;
  if (std::strcmp(status.detail()->type_id(), StorageFailureDetail::kTypeId) != 0) {
    return nullptr;
  }
  return static_cast<const StorageFailureDetail*>(status.detail().get());
}

bool IsStorageFailure(const arrow::Status& status) {
  return StorageFailureOf(status) != nullptr;
}

bool IsClientError(const arrow::Status& status) {
  return !status.ok() && status.detail() != nullptr &&
         std::strcmp(status.detail()->type_id(), ClientErrorDetail::kTypeId) == 0;
}

int ErrnoOf(const arrow::Status& status) {
  if (status.ok() || status.detail() == nullptr) return 0;
  if (const auto* failure = StorageFailureOf(status)) return failure->error_number();
  return arrow::internal::ErrnoFromStatus(status);
}

bool IsStorageFull(const arrow::Status& status) {
  int error = ErrnoOf(status);
  return error == ENOSPC || error == EDQUOT;
}

arrow::Status StorageFailure(const arrow::Status& cause, std::string message) {
  return arrow::Status(arrow::StatusCode::IOError, std::move(message),
                       std::make_shared<StorageFailureDetail>(ErrnoOf(cause)));
}

arrow::Status MarkStorageFailure(const arrow::Status& status) {
  if (status.ok() || IsStorageFailure(status)) return status;
  return status.WithDetail(std::make_shared<StorageFailureDetail>(ErrnoOf(status)));
}

}  // namespace quiver::store
