#include "quiver/store/local_exclusive_creator.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace quiver::store {
namespace {

arrow::Status Errno(const char* what, const std::filesystem::path& path, int error) {
  // The file name only: full server paths stay out of messages.
  return arrow::Status::IOError(what, " '", path.filename().string(),
                                "': ", std::strerror(error));
}

arrow::Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return arrow::Status::IOError(std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return arrow::Status::OK();
}

arrow::Status FsyncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errno("open for fsync", path, errno);
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return Errno("fsync", path, saved);
  return arrow::Status::OK();
}

class LocalExclusiveCreator final : public ExclusiveCreator {
 public:
  arrow::Status CreateExclusive(const std::string& path_string,
                                std::string_view contents) override {
    const std::filesystem::path path(path_string);
    if (path.filename().empty()) {
      return arrow::Status::Invalid("exclusive create: '", path_string,
                                    "' names no file");
    }
    const std::filesystem::path dir = path.parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return Errno("create directory for", path, ec.value());

    const std::filesystem::path temp =
        dir / (".quiver-tmp-excl-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter_.fetch_add(1)));
    const int fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("create temporary file for", path, errno);
    arrow::Status st = WriteAll(fd, contents);
    if (st.ok() && ::fsync(fd) != 0) st = arrow::Status::IOError(std::strerror(errno));
    if (::close(fd) != 0 && st.ok()) st = arrow::Status::IOError(std::strerror(errno));
    if (!st.ok()) {
      ::unlink(temp.c_str());
      return arrow::Status::IOError("write '", path.filename().string(),
                                    "': ", st.message());
    }

    const int rc = ::link(temp.c_str(), path.c_str());
    const int link_errno = errno;
    // On NFS a retransmitted link() can report EEXIST although the first one worked:
    // then the temporary file has two names (open(2), O_EXCL).
    struct stat temp_stat;
    const bool linked = rc == 0 || (link_errno == EEXIST &&
                                    ::stat(temp.c_str(), &temp_stat) == 0 &&
                                    temp_stat.st_nlink == 2);
    ::unlink(temp.c_str());
    if (!linked) {
      if (link_errno == EEXIST) {
        return arrow::Status::AlreadyExists("'", path.filename().string(),
                                            "' already exists");
      }
      return Errno("link", path, link_errno);
    }
    return FsyncPath(dir.empty() ? std::filesystem::path(".") : dir,
                     O_RDONLY | O_DIRECTORY);
  }

 private:
  std::atomic<uint64_t> counter_{0};
};

}  // namespace

std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator() {
  return std::make_shared<LocalExclusiveCreator>();
}

}  // namespace quiver::store
