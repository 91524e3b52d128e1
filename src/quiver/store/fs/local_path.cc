#include "quiver/store/fs/local_path.h"

#include <filesystem>
#include <system_error>

namespace quiver::store {

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

}  // namespace quiver::store
