#include "quiver/common/durable_io.h"

#include <cerrno>
#include <cstdint>

#include <fcntl.h>
#include <unistd.h>

#include <arrow/util/io_util.h>

#include "quiver/common/path_name.h"

namespace quiver {
namespace {

using arrow::internal::IOErrorFromErrno;

/// Opens `path` with `flags` and fsyncs it; `what` names it in errors.
arrow::Status OpenAndSync(const std::string& path, int flags, std::string_view what) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IOErrorFromErrno(errno, "cannot open ", what, "'", path, "'");
  arrow::Status status = SyncDescriptor(fd, path);
  ::close(fd);  // read-only: nothing left to lose
  return status;
}

}  // namespace

arrow::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  arrow::Status status =
      arrow::internal::FileWrite(fd, reinterpret_cast<const uint8_t*>(data.data()),
                                 static_cast<int64_t>(data.size()));
  if (status.ok()) return status;
  return status.WithMessage("cannot write '", path, "': ", status.message());
}

arrow::Status SyncDescriptor(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return IOErrorFromErrno(errno, "cannot fsync '", path, "'");
  return arrow::Status::OK();
}

arrow::Status SyncFile(const std::string& path) {
  return OpenAndSync(path, O_RDONLY, "");
}

arrow::Status SyncDirectory(const std::string& dir) {
  return OpenAndSync(dir, O_RDONLY | O_DIRECTORY, "directory ");
}

arrow::Status SyncParentDirectory(const std::string& path) {
  return SyncDirectory(std::string(DirName(path)));
}

}  // namespace quiver
