#pragma once

/// \file
/// The POSIX steps that make a local file durable, one copy each, for the code that
/// writes local files directly (atomic_file.h, the store's durability and exclusive
/// create): write every byte, fsync a file, fsync the directory that names it.
///
///     ARROW_RETURN_NOT_OK(WriteAll(fd, contents, temp));
///     ARROW_RETURN_NOT_OK(SyncDescriptor(fd, temp));
///     ... close, rename(temp, path) ...
///     ARROW_RETURN_NOT_OK(SyncParentDirectory(path));
///
/// Errors are IOErrors carrying the errno as Arrow's errno detail (so that a full disk
/// stays recognisable) and naming the step and the path ("cannot fsync '<path>'"):
/// callers that answer clients replace the message (store/model/storage_error.h).

#include <string>
#include <string_view>

#include <arrow/status.h>

namespace quiver {

/// \brief Write all of `data` to the open descriptor `fd`, going on after short and
/// interrupted writes (Arrow's FileWrite). `path` names the file in the error only.
arrow::Status WriteAll(int fd, std::string_view data, const std::string& path);

/// \brief fsync(2) of the open descriptor `fd`. `path` names it in the error only.
arrow::Status SyncDescriptor(int fd, const std::string& path);

/// \brief Flush the data of the file at `path` (closed or not) to stable storage: opens
/// it read-only and fsyncs it (Linux flushes an inode's dirty pages whichever
/// descriptor wrote them).
arrow::Status SyncFile(const std::string& path);

/// \brief fsync(2) of the directory `dir`: makes the creations, renames, links and
/// unlinks of its entries durable.
arrow::Status SyncDirectory(const std::string& dir);

/// \brief SyncDirectory of the directory holding `path` (DirName, path_name.h).
arrow::Status SyncParentDirectory(const std::string& path);

}  // namespace quiver
