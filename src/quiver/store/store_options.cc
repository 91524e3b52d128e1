#include "quiver/store/store_options.h"

#include <arrow/filesystem/localfs.h>

#include "quiver/store/fs/local_path.h"

namespace quiver::store {

StoreOptions StoreOptions::Defaults() { return StoreOptions{}; }

arrow::Result<StoreOptions> MakeLocalStoreOptions(const std::string& directory) {
  if (directory.empty()) return arrow::Status::Invalid("store directory is empty");
  StoreOptions options = StoreOptions::Defaults();
  options.filesystem = std::make_shared<arrow::fs::LocalFileSystem>();
  ARROW_ASSIGN_OR_RAISE(options.root, AbsoluteLocalPath(directory));
  return options;
}

}  // namespace quiver::store
