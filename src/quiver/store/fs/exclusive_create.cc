#include "quiver/store/fs/exclusive_create.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>
#include <arrow/util/io_util.h>

#include "quiver/common/durable_io.h"
#include "quiver/common/path_name.h"
#include "quiver/common/unique_name.h"
#include "quiver/store/fs/durability.h"
#include "quiver/store/fs/s3_exclusive_creator_internal.h"

namespace quiver::store {
namespace {

// Keeps the errno as Arrow's detail: a full disk stays recognisable (storage_error.h).
arrow::Status Errno(std::string_view what, int error) {
  return arrow::internal::IOErrorFromErrno(error, what);
}

std::string TempBeside(const std::string& path) {
  return std::string(DirName(path)) + "/" + UniqueName(".tmp-");
}

class LocalExclusiveCreator : public ExclusiveCreator {
 public:
  /// `fs`: the file system whose paths are given (looked through to the local one,
  /// see durability.h); null when they are local paths already.
  explicit LocalExclusiveCreator(std::shared_ptr<const arrow::fs::FileSystem> fs = {})
      : fs_(std::move(fs)) {}

  arrow::Status CreateExclusive(const std::string& store_path,
                                std::string_view contents) override {
    std::string path = store_path;
    if (fs_) {
      auto local = LocalPathOf(*fs_, store_path);
      if (!local) return arrow::Status::IOError("not a local file system path");
      ARROW_RETURN_NOT_OK(
          NotifyDirectOperation(*fs_, DirectOperation::kCreateExclusive, store_path));
      path = std::move(*local);
    }
    std::string temp = TempBeside(path);
    int fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("create", errno);
    arrow::Status st = WriteAll(fd, contents, temp);
    if (st.ok()) st = SyncDescriptor(fd, temp);
    if (::close(fd) != 0 && st.ok()) st = Errno("close", errno);
    if (st.ok() && ::link(temp.c_str(), path.c_str()) != 0) {
      st =
          errno == EEXIST ? arrow::Status::AlreadyExists("exists") : Errno("link", errno);
    }
    ::unlink(temp.c_str());
    if (!st.ok()) return st;
    return SyncParentDirectory(path);
  }

 private:
  std::shared_ptr<const arrow::fs::FileSystem> fs_;
};

// A SubTreeFileSystem's creator: prepends its base path to every path.
class PrefixedExclusiveCreator : public ExclusiveCreator {
 public:
  PrefixedExclusiveCreator(std::string prefix, std::shared_ptr<ExclusiveCreator> base)
      : prefix_(std::move(prefix)), base_(std::move(base)) {}

  arrow::Status CreateExclusive(const std::string& path,
                                std::string_view contents) override {
    std::string_view relative = path;
    while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
    if (relative.empty()) return arrow::Status::Invalid("exclusive create: empty path");
    return base_->CreateExclusive(prefix_ + std::string(relative), contents);
  }

 private:
  const std::string prefix_;  // ends with '/'
  const std::shared_ptr<ExclusiveCreator> base_;
};

}  // namespace

std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator() {
  return std::make_shared<LocalExclusiveCreator>();
}

std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator(
    std::shared_ptr<const arrow::fs::FileSystem> fs) {
  return std::make_shared<LocalExclusiveCreator>(std::move(fs));
}

std::shared_ptr<ExclusiveCreator> MakePrefixedExclusiveCreator(
    std::string prefix, std::shared_ptr<ExclusiveCreator> base) {
  return std::make_shared<PrefixedExclusiveCreator>(std::move(prefix), std::move(base));
}

arrow::Status CheckExclusiveCreate(ExclusiveCreator& creator,
                                   const std::string& probe_path) {
  ARROW_RETURN_NOT_OK(creator.CreateExclusive(probe_path, "quiver probe 1"));
  const arrow::Status second = creator.CreateExclusive(probe_path, "quiver probe 2");
  if (second.IsAlreadyExists()) return arrow::Status::OK();
  if (second.ok()) {
    return arrow::Status::NotImplemented(
        "the store accepted a second exclusive create of the same object: it ignores "
        "conditional writes (If-None-Match), so concurrent commits would not be safe");
  }
  return second;
}

}  // namespace quiver::store
