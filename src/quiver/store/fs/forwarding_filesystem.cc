#include "quiver/store/fs/forwarding_filesystem.h"

#include <utility>

namespace quiver::store {

namespace fs = arrow::fs;
namespace io = arrow::io;

ForwardingFileSystem::ForwardingFileSystem(std::shared_ptr<fs::FileSystem> wrapped)
    : fs::FileSystem(wrapped->io_context()), wrapped_(std::move(wrapped)) {}

ForwardingFileSystem::~ForwardingFileSystem() = default;

arrow::Status ForwardingFileSystem::BeforeDirectOperation(DirectOperation,
                                                          const std::string&) const {
  return arrow::Status::OK();
}

bool ForwardingFileSystem::Equals(const fs::FileSystem& other) const {
  return this == &other;
}

arrow::Result<std::string> ForwardingFileSystem::NormalizePath(std::string path) {
  return wrapped_->NormalizePath(std::move(path));
}

arrow::Result<std::string> ForwardingFileSystem::PathFromUri(
    const std::string& uri_string) const {
  return wrapped_->PathFromUri(uri_string);
}

arrow::Result<std::string> ForwardingFileSystem::MakeUri(std::string path) const {
  return wrapped_->MakeUri(std::move(path));
}

arrow::Result<fs::FileInfo> ForwardingFileSystem::GetFileInfo(const std::string& path) {
  return wrapped_->GetFileInfo(path);
}

arrow::Result<fs::FileInfoVector> ForwardingFileSystem::GetFileInfo(
    const fs::FileSelector& select) {
  return wrapped_->GetFileInfo(select);
}

arrow::Status ForwardingFileSystem::CreateDir(const std::string& path, bool recursive) {
  return wrapped_->CreateDir(path, recursive);
}

arrow::Status ForwardingFileSystem::DeleteDir(const std::string& path) {
  return wrapped_->DeleteDir(path);
}

arrow::Status ForwardingFileSystem::DeleteDirContents(const std::string& path,
                                                      bool missing_dir_ok) {
  return wrapped_->DeleteDirContents(path, missing_dir_ok);
}

arrow::Status ForwardingFileSystem::DeleteRootDirContents() {
  return wrapped_->DeleteRootDirContents();
}

arrow::Status ForwardingFileSystem::DeleteFile(const std::string& path) {
  return wrapped_->DeleteFile(path);
}

arrow::Status ForwardingFileSystem::Move(const std::string& src,
                                         const std::string& dest) {
  return wrapped_->Move(src, dest);
}

arrow::Status ForwardingFileSystem::CopyFile(const std::string& src,
                                             const std::string& dest) {
  return wrapped_->CopyFile(src, dest);
}

arrow::Result<std::shared_ptr<io::InputStream>> ForwardingFileSystem::OpenInputStream(
    const std::string& path) {
  return wrapped_->OpenInputStream(path);
}

arrow::Result<std::shared_ptr<io::InputStream>> ForwardingFileSystem::OpenInputStream(
    const fs::FileInfo& info) {
  return wrapped_->OpenInputStream(info);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> ForwardingFileSystem::OpenInputFile(
    const std::string& path) {
  return wrapped_->OpenInputFile(path);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> ForwardingFileSystem::OpenInputFile(
    const fs::FileInfo& info) {
  return wrapped_->OpenInputFile(info);
}

arrow::Result<std::shared_ptr<io::OutputStream>> ForwardingFileSystem::OpenOutputStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  return wrapped_->OpenOutputStream(path, metadata);
}

arrow::Result<std::shared_ptr<io::OutputStream>> ForwardingFileSystem::OpenAppendStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  return wrapped_->OpenAppendStream(path, metadata);
}

}  // namespace quiver::store
