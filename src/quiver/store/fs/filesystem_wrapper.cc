#include "quiver/store/fs/filesystem_wrapper.h"

namespace quiver::store {

FileSystemWrapper::~FileSystemWrapper() = default;

arrow::Status FileSystemWrapper::BeforeDirectOperation(DirectOperation,
                                                       const std::string&) const {
  return arrow::Status::OK();
}

}  // namespace quiver::store
