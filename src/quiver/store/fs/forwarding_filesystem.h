#pragma once

/// \file
/// The base of file systems that forward to another one under the same paths, adding
/// behaviour (metrics in metered_filesystem.h, fault injection in tests):
///
///     class Counting : public ForwardingFileSystem {
///      public:
///       using ForwardingFileSystem::ForwardingFileSystem;
///       std::string type_name() const override { return "counting"; }
///       arrow::Status DeleteFile(const std::string& path) override {
///         ++deletes_;
///         return ForwardingFileSystem::DeleteFile(path);
///       }
///     };
///
/// A subclass overrides only the calls it adds to. The durability helpers
/// (durability.h) look through a ForwardingFileSystem, as they look through
/// arrow::fs::SubTreeFileSystem, to find whether a path lives on the local file system:
/// a wrapper never makes the store skip an fsync, whatever its type_name(). Before each
/// direct operation the wrapper is told, and may fail it.

#include <memory>
#include <string>

#include <arrow/filesystem/filesystem.h>
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

/// \brief An arrow::fs::FileSystem that forwards every call to the one it wraps.
///
/// Forwarded as they are: every operation Arrow's FileSystem declares pure, the
/// `FileInfo` overloads of OpenInputStream and OpenInputFile (which let an object
/// store skip a HEAD), NormalizePath, PathFromUri and MakeUri. The variants Arrow
/// builds on those (GetFileInfo of several paths, GetFileInfoGenerator, DeleteFiles,
/// the *Async calls) keep Arrow's implementations, which call this file system's own
/// overrides: a subclass that adds to DeleteFile sees every deletion, however it was
/// asked for. A subclass that adds to an opening overrides its `FileInfo` overload too.
///
/// Equal only to itself. Thread-safe if the wrapped file system is; subclasses must be
/// thread-safe.
class ForwardingFileSystem : public arrow::fs::FileSystem {
 public:
  /// \brief Forward to `wrapped` (not null), sharing its I/O context.
  explicit ForwardingFileSystem(std::shared_ptr<arrow::fs::FileSystem> wrapped);
  ~ForwardingFileSystem() override;

  /// \brief The file system this one forwards to; a path means the same in both.
  const std::shared_ptr<arrow::fs::FileSystem>& wrapped() const { return wrapped_; }

  /// \brief Called before `operation` is applied directly to `path` of the wrapped
  /// file system (durability.h). \return a non-OK status to make the operation fail
  /// with it. Default: OK.
  virtual arrow::Status BeforeDirectOperation(DirectOperation operation,
                                              const std::string& path) const;

  bool Equals(const arrow::fs::FileSystem& other) const override;
  arrow::Result<std::string> NormalizePath(std::string path) override;
  arrow::Result<std::string> PathFromUri(const std::string& uri_string) const override;
  arrow::Result<std::string> MakeUri(std::string path) const override;

  using arrow::fs::FileSystem::CreateDir;
  using arrow::fs::FileSystem::DeleteDirContents;
  using arrow::fs::FileSystem::GetFileInfo;
  using arrow::fs::FileSystem::OpenAppendStream;
  using arrow::fs::FileSystem::OpenOutputStream;

  arrow::Result<arrow::fs::FileInfo> GetFileInfo(const std::string& path) override;
  arrow::Result<arrow::fs::FileInfoVector> GetFileInfo(
      const arrow::fs::FileSelector& select) override;
  arrow::Status CreateDir(const std::string& path, bool recursive) override;
  arrow::Status DeleteDir(const std::string& path) override;
  arrow::Status DeleteDirContents(const std::string& path, bool missing_dir_ok) override;
  arrow::Status DeleteRootDirContents() override;
  arrow::Status DeleteFile(const std::string& path) override;
  arrow::Status Move(const std::string& src, const std::string& dest) override;
  arrow::Status CopyFile(const std::string& src, const std::string& dest) override;
  arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenInputStream(
      const std::string& path) override;
  arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenInputStream(
      const arrow::fs::FileInfo& info) override;
  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInputFile(
      const std::string& path) override;
  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInputFile(
      const arrow::fs::FileInfo& info) override;
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutputStream(
      const std::string& path,
      const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) override;
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenAppendStream(
      const std::string& path,
      const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) override;

 private:
  const std::shared_ptr<arrow::fs::FileSystem> wrapped_;
};

}  // namespace quiver::store
