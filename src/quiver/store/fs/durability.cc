#include "quiver/store/fs/durability.h"

#include <cerrno>
#include <vector>

#include <unistd.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/localfs.h>
#include <arrow/util/io_util.h>

#include "quiver/common/durable_io.h"
#include "quiver/store/fs/forwarding_filesystem.h"

namespace quiver::store {
namespace {

/// Where a path of a file system really lives, and the wrappers met on the way.
struct Resolved {
  std::optional<std::string> local_path;
  std::vector<const ForwardingFileSystem*> wrappers;
};

Resolved Resolve(const arrow::fs::FileSystem& fs, const std::string& path) {
  Resolved out;
  const arrow::fs::FileSystem* current = &fs;
  std::shared_ptr<arrow::fs::FileSystem> keep_alive;
  std::string current_path = path;
  // Bounded: a cycle of wrappers would be a bug, not a reason to hang.
  for (int depth = 0; depth < 64; ++depth) {
    if (dynamic_cast<const arrow::fs::LocalFileSystem*>(current) != nullptr) {
      out.local_path = std::move(current_path);
      return out;
    }
    if (auto* subtree = dynamic_cast<const arrow::fs::SubTreeFileSystem*>(current)) {
      std::string base = subtree->base_path();
      if (!base.empty() && base.back() != '/') base += '/';
      size_t skip = 0;
      while (skip < current_path.size() && current_path[skip] == '/') ++skip;
      current_path = base + current_path.substr(skip);
      keep_alive = subtree->base_fs();
      current = keep_alive.get();
      continue;
    }
    if (auto* wrapper = dynamic_cast<const ForwardingFileSystem*>(current)) {
      out.wrappers.push_back(wrapper);
      keep_alive = wrapper->wrapped();
      current = keep_alive.get();
      if (current == nullptr) return out;
      continue;
    }
    return out;
  }
  return out;
}

arrow::Status Notify(const Resolved& resolved, DirectOperation operation,
                     const std::string& path) {
  for (auto* wrapper : resolved.wrappers) {
    ARROW_RETURN_NOT_OK(wrapper->BeforeDirectOperation(operation, path));
  }
  return arrow::Status::OK();
}

/// `sync` (one of common/durable_io.h's) applied to the local path of `path`, after the
/// wrappers were told of `operation`; nothing for paths that are not local.
arrow::Status SyncPath(const arrow::fs::FileSystem& fs, const std::string& path,
                       DirectOperation operation,
                       arrow::Status (*sync)(const std::string& local_path)) {
  Resolved resolved = Resolve(fs, path);
  if (!resolved.local_path) return arrow::Status::OK();
  ARROW_RETURN_NOT_OK(Notify(resolved, operation, path));
  return sync(*resolved.local_path);
}

}  // namespace

arrow::Status NotifyDirectOperation(const arrow::fs::FileSystem& fs,
                                    DirectOperation operation, const std::string& path) {
  return Notify(Resolve(fs, path), operation, path);
}

std::optional<std::string> LocalPathOf(const arrow::fs::FileSystem& fs,
                                       const std::string& path) {
  return Resolve(fs, path).local_path;
}

arrow::Status SyncFile(const arrow::fs::FileSystem& fs, const std::string& path) {
  return SyncPath(fs, path, DirectOperation::kSyncFile, &quiver::SyncFile);
}

arrow::Status RemoveEmptyDirectory(const arrow::fs::FileSystem& fs,
                                   const std::string& dir) {
  Resolved resolved = Resolve(fs, dir);
  if (!resolved.local_path) return arrow::Status::OK();
  ARROW_RETURN_NOT_OK(Notify(resolved, DirectOperation::kRemoveEmptyDirectory, dir));
  if (::rmdir(resolved.local_path->c_str()) != 0)
    return arrow::internal::IOErrorFromErrno(errno, "rmdir");
  return arrow::Status::OK();
}

arrow::Status SyncDirectory(const arrow::fs::FileSystem& fs, const std::string& dir) {
  return SyncPath(fs, dir, DirectOperation::kSyncDirectory, &quiver::SyncDirectory);
}

}  // namespace quiver::store
