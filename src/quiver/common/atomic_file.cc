#include "quiver/common/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arrow/util/io_util.h>

namespace quiver {
namespace {

using arrow::internal::IOErrorFromErrno;

std::string DirectoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string TempPathFor(const std::string& path) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), "%08llx",
                static_cast<unsigned long long>(rng() & 0xffffffffULL));
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + suffix;
}

arrow::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IOErrorFromErrno(errno, "cannot write '", path, "'");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return arrow::Status::OK();
}

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
  if (status.ok() && ::fsync(fd) != 0) {
    status = IOErrorFromErrno(errno, "cannot fsync '", temp, "'");
  }
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
  ARROW_RETURN_NOT_OK(WriteAndRename(path, TempPathFor(path), contents, mode));
  std::string dir = DirectoryOf(path);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return IOErrorFromErrno(errno, "cannot open directory '", dir, "'");
  int rc = ::fsync(dir_fd);
  int saved = errno;
  ::close(dir_fd);
  if (rc != 0) return IOErrorFromErrno(saved, "cannot fsync directory '", dir, "'");
  return arrow::Status::OK();
}

}  // namespace quiver
