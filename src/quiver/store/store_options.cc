#include "quiver/store/store_options.h"

#include <filesystem>

#include <arrow/filesystem/localfs.h>
#include <arrow/util/compression.h>

namespace quiver::store {

WriteOptions WriteOptions::Defaults() {
  WriteOptions options;
  options.compression = arrow::Compression::ZSTD;
  return options;
}

ReadOptions ReadOptions::Defaults() { return ReadOptions{}; }

StoreOptions StoreOptions::Defaults() { return StoreOptions{}; }

arrow::Result<std::string> AbsoluteLocalPath(const std::string& directory) {
  if (directory.empty()) return arrow::Status::Invalid("directory name is empty");
  std::error_code ec;
  auto absolute = std::filesystem::absolute(directory, ec);
  if (ec) {
    return arrow::Status::IOError("cannot resolve directory '", directory,
                                  "': ", ec.message());
  }
  std::string path = absolute.lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

arrow::Result<StoreOptions> MakeLocalStoreOptions(const std::string& directory) {
  if (directory.empty()) return arrow::Status::Invalid("store directory is empty");
  StoreOptions options = StoreOptions::Defaults();
  options.filesystem = std::make_shared<arrow::fs::LocalFileSystem>();
  ARROW_ASSIGN_OR_RAISE(options.root, AbsoluteLocalPath(directory));
  return options;
}

}  // namespace quiver::store
