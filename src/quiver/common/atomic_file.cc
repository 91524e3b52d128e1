#include "quiver/common/atomic_file.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arrow/util/io_util.h>

#include "quiver/common/durable_io.h"
#include "quiver/common/unique_name.h"

namespace quiver {
namespace {

using arrow::internal::IOErrorFromErrno;

/// Everything up to and including the rename; on failure the temporary file is gone.
arrow::Status WriteAndRename(const std::string& path, const std::string& temp,
                             std::string_view contents, mode_t mode) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return IOErrorFromErrno(errno, "cannot create '", temp, "'");
  arrow::Status status;
  if (::fchmod(fd, mode) != 0) {
    status = IOErrorFromErrno(errno, "cannot set the mode of '", temp, "'");
  }
  if (status.ok()) status = WriteAll(fd, contents, temp);
  if (status.ok()) status = SyncDescriptor(fd, temp);
  if (::close(fd) != 0 && status.ok()) {
    status = IOErrorFromErrno(errno, "cannot close '", temp, "'");
  }
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = IOErrorFromErrno(errno, "cannot rename '", temp, "' to '", path, "'");
  }
  if (!status.ok()) ::unlink(temp.c_str());
  return status;
}

}  // namespace

arrow::Status WriteFileAtomically(const std::string& path, std::string_view contents,
                                  mode_t mode) {
  ARROW_RETURN_NOT_OK(WriteAndRename(path, UniqueName(path + ".tmp-"), contents, mode));
  return SyncParentDirectory(path);
}

}  // namespace quiver
