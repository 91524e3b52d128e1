#pragma once

#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief Flush a closed file's data to stable storage.
///
/// Arrow's output streams have no fsync. On the local filesystem this reopens the file
/// and fsyncs it (Linux flushes the inode's dirty pages whichever descriptor wrote
/// them). Other filesystems (object stores) are durable once the stream is closed, so
/// this is a no-op there.
arrow::Status SyncFile(const arrow::fs::FileSystem& fs, const std::string& path);

/// \brief Remove `dir` if it is an empty directory; otherwise leave it (and return an
/// error). On the local filesystem this is rmdir(2), which checks emptiness atomically,
/// so a concurrent upload's temporary file is never removed. Other filesystems have no
/// real directories: a no-op there.
arrow::Status RemoveEmptyDirectory(const arrow::fs::FileSystem& fs,
                                   const std::string& dir);

/// \brief Make a rename or unlink within `dir` durable (fsync of the directory).
/// Same local/remote rule as SyncFile.
arrow::Status SyncDirectory(const arrow::fs::FileSystem& fs, const std::string& dir);

}  // namespace quiver::store
