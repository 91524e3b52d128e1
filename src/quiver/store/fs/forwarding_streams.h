#pragma once

/// \file
/// The bases of the streams a ForwardingFileSystem hands out (forwarding_filesystem.h):
/// each forwards every call to the stream it wraps, so that a subclass overrides only
/// the calls it adds to (the reads it meters, the writes it fails, ...).
///
/// As for the file system, the variants Arrow builds on the forwarded calls (ReadAsync,
/// Peek, ...) keep Arrow's implementations, which call this stream's own overrides.

#include <cstdint>
#include <memory>
#include <utility>

#include <arrow/io/interfaces.h>

namespace quiver::store {

/// \brief An arrow::io::InputStream forwarding to `wrapped()`.
class ForwardingInputStream : public arrow::io::InputStream {
 public:
  explicit ForwardingInputStream(std::shared_ptr<arrow::io::InputStream> wrapped)
      : wrapped_(std::move(wrapped)) {}

  const std::shared_ptr<arrow::io::InputStream>& wrapped() const { return wrapped_; }

  arrow::Status Close() override { return wrapped_->Close(); }
  arrow::Status Abort() override { return wrapped_->Abort(); }
  bool closed() const override { return wrapped_->closed(); }
  arrow::Result<int64_t> Tell() const override { return wrapped_->Tell(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return wrapped_->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return wrapped_->Read(nbytes);
  }

 private:
  const std::shared_ptr<arrow::io::InputStream> wrapped_;
};

/// \brief An arrow::io::RandomAccessFile forwarding to `wrapped()`.
class ForwardingRandomAccessFile : public arrow::io::RandomAccessFile {
 public:
  explicit ForwardingRandomAccessFile(
      std::shared_ptr<arrow::io::RandomAccessFile> wrapped)
      : wrapped_(std::move(wrapped)) {}

  const std::shared_ptr<arrow::io::RandomAccessFile>& wrapped() const { return wrapped_; }

  arrow::Status Close() override { return wrapped_->Close(); }
  arrow::Status Abort() override { return wrapped_->Abort(); }
  bool closed() const override { return wrapped_->closed(); }
  arrow::Result<int64_t> Tell() const override { return wrapped_->Tell(); }
  arrow::Status Seek(int64_t position) override { return wrapped_->Seek(position); }
  arrow::Result<int64_t> GetSize() override { return wrapped_->GetSize(); }
  bool supports_zero_copy() const override { return wrapped_->supports_zero_copy(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return wrapped_->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return wrapped_->Read(nbytes);
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    return wrapped_->ReadAt(position, nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    return wrapped_->ReadAt(position, nbytes);
  }

 private:
  const std::shared_ptr<arrow::io::RandomAccessFile> wrapped_;
};

/// \brief An arrow::io::OutputStream forwarding to `wrapped()`.
class ForwardingOutputStream : public arrow::io::OutputStream {
 public:
  explicit ForwardingOutputStream(std::shared_ptr<arrow::io::OutputStream> wrapped)
      : wrapped_(std::move(wrapped)) {}

  const std::shared_ptr<arrow::io::OutputStream>& wrapped() const { return wrapped_; }

  arrow::Status Close() override { return wrapped_->Close(); }
  arrow::Status Abort() override { return wrapped_->Abort(); }
  bool closed() const override { return wrapped_->closed(); }
  arrow::Result<int64_t> Tell() const override { return wrapped_->Tell(); }
  arrow::Status Flush() override { return wrapped_->Flush(); }
  arrow::Status Write(const void* data, int64_t nbytes) override {
    return wrapped_->Write(data, nbytes);
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    return wrapped_->Write(data);
  }

 private:
  const std::shared_ptr<arrow::io::OutputStream> wrapped_;
};

}  // namespace quiver::store
