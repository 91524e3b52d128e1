#pragma once

#include <optional>
#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/status.h>

#include "quiver/store/fs/forwarding_filesystem.h"

namespace quiver::store {

/// \file
/// Durability steps Arrow's FileSystem interface lacks (fsync, remove-if-empty),
/// applied directly to the local file system.
///
/// Whether a path is local is decided by looking through the file system, never by
/// its type_name(): arrow::fs::LocalFileSystem is local; arrow::fs::SubTreeFileSystem
/// and any ForwardingFileSystem (forwarding_filesystem.h) are looked through to the file
/// system they forward to. Anything else (object stores) has no local files: it is
/// durable once a stream is closed, and has no real directories, so these steps are
/// no-ops there. A wrapper is told of each step first and may fail it.

/// \brief The path on the local file system that `path` of `fs` designates, or nullopt
/// when `fs` does not keep it on the local file system.
std::optional<std::string> LocalPathOf(const arrow::fs::FileSystem& fs,
                                       const std::string& path);

/// \brief Tell every ForwardingFileSystem between `fs` and the local file system that
/// `operation` is about to be applied directly to `path`. \return the first wrapper's
/// refusal, if any. For code that bypasses the FileSystem interface (fsync, link).
arrow::Status NotifyDirectOperation(const arrow::fs::FileSystem& fs,
                                    DirectOperation operation, const std::string& path);

/// \brief Flush a closed file's data to stable storage.
///
/// Arrow's output streams have no fsync. On the local file system this reopens the
/// file and fsyncs it (Linux flushes the inode's dirty pages whichever descriptor
/// wrote them). \return IOError carrying the errno (see storage_error.h).
arrow::Status SyncFile(const arrow::fs::FileSystem& fs, const std::string& path);

/// \brief Remove `dir` if it is an empty directory; otherwise leave it (and return an
/// error). On the local file system this is rmdir(2), which checks emptiness
/// atomically, so a concurrent upload's temporary file is never removed.
arrow::Status RemoveEmptyDirectory(const arrow::fs::FileSystem& fs,
                                   const std::string& dir);

/// \brief Make a rename or unlink within `dir` durable (fsync of the directory).
arrow::Status SyncDirectory(const arrow::fs::FileSystem& fs, const std::string& dir);

}  // namespace quiver::store
