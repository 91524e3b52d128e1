#pragma once

#include <memory>
#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief What the store does to a file or directory directly, bypassing the
/// FileSystem interface (which has no fsync and no "remove if empty").
enum class DirectOperation {
  kSyncFile,              ///< fsync(2) of a closed file
  kSyncDirectory,         ///< fsync(2) of a directory, making renames and unlinks durable
  kRemoveEmptyDirectory,  ///< rmdir(2)
  kCreateExclusive,       ///< a small file written whole if absent (exclusive_create.h)
};

/// \brief Implemented by an arrow::fs::FileSystem that forwards to another one under
/// the same paths, adding behaviour (fault injection in tests, metrics, ...).
///
/// The durability helpers (durability.h) look through such wrappers, as they look
/// through arrow::fs::SubTreeFileSystem, to find whether a path lives on the local
/// file system: a wrapper never makes the store skip an fsync, whatever its
/// type_name(). Before each direct operation the wrapper is told, and may fail it.
///
/// Implementations must be thread-safe.
class FileSystemWrapper {
 public:
  virtual ~FileSystemWrapper();

  /// \brief The file system this one forwards to; a path means the same in both.
  virtual std::shared_ptr<arrow::fs::FileSystem> wrapped() const = 0;

  /// \brief Called before `operation` is applied directly to `path` of the wrapped
  /// file system. \return a non-OK status to make the operation fail with it.
  virtual arrow::Status BeforeDirectOperation(DirectOperation operation,
                                              const std::string& path) const;
};

}  // namespace quiver::store
