#pragma once

/// \file
/// Request metrics and spans for an object store: a file system that forwards every
/// call to another one (a ForwardingFileSystem) and reports each request (operation,
/// bytes, seconds, outcome) to a listener, and opens a span per request (a child of the
/// calling thread's active span, so that a DoGet's trace shows its object-store
/// requests).
///
///     auto metered = std::make_shared<MeteredFileSystem>(s3);
///     metered->SetListener(listener);   // any time; server_metrics.h installs one
///
/// Operations, in the terms of an object store:
///   stat (HEAD), list (LIST), open_read (opening a file for reading: a HEAD unless
///   its size is known), read (a ranged GET), open_write (opening an upload), write
///   (bytes handed to an upload: buffered, sent as multipart parts), close_write (the
///   upload's remaining parts and its completion), delete, create_dir, move, copy,
///   create_exclusive (a manifest's conditional PUT, see MeterExclusiveCreator).

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/fs/forwarding_filesystem.h"
#include "quiver/store/fs/object_store_listener.h"

namespace quiver::store {

/// \brief A ForwardingFileSystem that meters every call of the file system it wraps.
/// Thread-safe. Streams it opens keep the listener slot alive.
class MeteredFileSystem : public ForwardingFileSystem {
 public:
  explicit MeteredFileSystem(std::shared_ptr<arrow::fs::FileSystem> base);
  ~MeteredFileSystem() override;

  /// \brief Report requests to `listener` from now on (null: to nobody).
  void SetListener(std::shared_ptr<ObjectStoreListener> listener);

  /// \brief The slot shared with the streams and creators this file system meters.
  class Slot;
  const std::shared_ptr<Slot>& slot() const { return slot_; }

  std::string type_name() const override { return "metered"; }

  // Every request, metered.
  using ForwardingFileSystem::CreateDir;
  using ForwardingFileSystem::DeleteDirContents;
  using ForwardingFileSystem::GetFileInfo;
  using ForwardingFileSystem::OpenAppendStream;
  using ForwardingFileSystem::OpenOutputStream;

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
  std::shared_ptr<Slot> slot_;
};

/// \brief `creator`, reporting each CreateExclusive to `metered`'s listener as
/// "create_exclusive" (an AlreadyExists answer is not an error: another writer won).
std::shared_ptr<ExclusiveCreator> MeterExclusiveCreator(
    std::shared_ptr<ExclusiveCreator> creator, const MeteredFileSystem& metered);

}  // namespace quiver::store
