#include "quiver/store/durability.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <arrow/filesystem/filesystem.h>

namespace quiver::store {
namespace {

arrow::Status SyncPath(const arrow::fs::FileSystem& fs, const std::string& path,
                       int flags) {
  if (fs.type_name() != "local") return arrow::Status::OK();
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return arrow::Status::IOError("open for fsync: ", std::strerror(errno));
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) return arrow::Status::IOError("fsync: ", std::strerror(saved));
  return arrow::Status::OK();
}

}  // namespace

arrow::Status SyncFile(const arrow::fs::FileSystem& fs, const std::string& path) {
  return SyncPath(fs, path, O_RDONLY);
}

arrow::Status RemoveEmptyDirectory(const arrow::fs::FileSystem& fs,
                                   const std::string& dir) {
  if (fs.type_name() != "local") return arrow::Status::OK();
  if (::rmdir(dir.c_str()) != 0)
    return arrow::Status::IOError("rmdir: ", std::strerror(errno));
  return arrow::Status::OK();
}

arrow::Status SyncDirectory(const arrow::fs::FileSystem& fs, const std::string& dir) {
  return SyncPath(fs, dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace quiver::store
