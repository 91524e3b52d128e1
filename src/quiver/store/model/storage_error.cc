#include "quiver/store/model/storage_error.h"

#include <cerrno>

#include <arrow/util/io_util.h>

namespace quiver::store {

int ErrnoOf(const arrow::Status& status) {
  if (status.ok() || status.detail() == nullptr) return 0;
  return arrow::internal::ErrnoFromStatus(status);
}

bool IsStorageFull(const arrow::Status& status) {
  int error = ErrnoOf(status);
  return error == ENOSPC || error == EDQUOT;
}

arrow::Status StorageFailure(const arrow::Status& cause, std::string message) {
  int error = ErrnoOf(cause);
  if (error == 0) return arrow::Status::IOError(std::move(message));
  return arrow::Status(arrow::StatusCode::IOError, std::move(message),
                       arrow::internal::StatusDetailFromErrno(error));
}

}  // namespace quiver::store
