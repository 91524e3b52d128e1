#include "quiver/store/fs/metered_filesystem.h"

#include <chrono>
#include <functional>
#include <mutex>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>

#include "quiver/telemetry/active_span.h"

namespace quiver::store {

namespace fs = arrow::fs;
namespace io = arrow::io;

class MeteredFileSystem::Slot {
 public:
  void Set(std::shared_ptr<ObjectStoreListener> listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }
  std::shared_ptr<ObjectStoreListener> Get() const {
    std::lock_guard lock(mutex_);
    return listener_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<ObjectStoreListener> listener_;
};

namespace {

using Clock = std::chrono::steady_clock;

/// Times one call, opens its span, and reports it when finished.
class Meter {
 public:
  Meter(const std::shared_ptr<MeteredFileSystem::Slot>& slot, std::string_view operation)
      : slot_(slot.get()),
        operation_(operation),
        span_(
            telemetry::StartSpan(std::string("object_store.") + std::string(operation))),
        start_(Clock::now()) {}

  /// Report the call; `failed` says whether it counts as an error.
  void Finish(const arrow::Status& status, int64_t bytes = 0, bool failed = true) {
    ObjectStoreRequest request;
    request.operation = operation_;
    request.bytes = bytes;
    request.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    request.error = !status.ok() && failed;
    if (span_.recording()) {
      if (bytes > 0) span_.SetAttribute("quiver.bytes", bytes);
      if (request.error) span_.RecordError(status);
      span_.End();
    }
    if (auto listener = slot_->Get()) listener->OnRequest(request);
  }

 private:
  MeteredFileSystem::Slot* slot_;
  std::string_view operation_;
  telemetry::Span span_;
  Clock::time_point start_;
};

template <typename T>
arrow::Result<T> Metered(const std::shared_ptr<MeteredFileSystem::Slot>& slot,
                         std::string_view operation,
                         const std::function<arrow::Result<T>()>& call) {
  Meter meter(slot, operation);
  auto result = call();
  meter.Finish(result.status());
  return result;
}

arrow::Status MeteredStatus(const std::shared_ptr<MeteredFileSystem::Slot>& slot,
                            std::string_view operation,
                            const std::function<arrow::Status()>& call) {
  Meter meter(slot, operation);
  auto status = call();
  meter.Finish(status);
  return status;
}

class MeteredOutputStream : public io::OutputStream {
 public:
  MeteredOutputStream(std::shared_ptr<io::OutputStream> base,
                      std::shared_ptr<MeteredFileSystem::Slot> slot)
      : base_(std::move(base)), slot_(std::move(slot)) {}

  arrow::Status Close() override {
    if (base_->closed()) return base_->Close();
    return MeteredStatus(slot_, "close_write", [&] { return base_->Close(); });
  }
  arrow::Status Abort() override {
    if (base_->closed()) return base_->Abort();
    return MeteredStatus(slot_, "abort_write", [&] { return base_->Abort(); });
  }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Status Flush() override { return base_->Flush(); }

  // Writes to a closed stream (a writer flushing into an aborted upload) reach no
  // store: they fail without being counted as requests.
  arrow::Status Write(const void* data, int64_t nbytes) override {
    if (base_->closed()) return base_->Write(data, nbytes);
    Meter meter(slot_, "write");
    auto st = base_->Write(data, nbytes);
    meter.Finish(st, st.ok() ? nbytes : 0);
    return st;
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    if (base_->closed()) return base_->Write(data);
    Meter meter(slot_, "write");
    auto st = base_->Write(data);
    meter.Finish(st, st.ok() ? data->size() : 0);
    return st;
  }

 private:
  std::shared_ptr<io::OutputStream> base_;
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

class MeteredInputStream : public io::InputStream {
 public:
  MeteredInputStream(std::shared_ptr<io::InputStream> base,
                     std::shared_ptr<MeteredFileSystem::Slot> slot)
      : base_(std::move(base)), slot_(std::move(slot)) {}

  arrow::Status Close() override { return base_->Close(); }
  arrow::Status Abort() override { return base_->Abort(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }

  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    Meter meter(slot_, "read");
    auto n = base_->Read(nbytes, out);
    meter.Finish(n.status(), n.ok() ? *n : 0);
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    Meter meter(slot_, "read");
    auto buffer = base_->Read(nbytes);
    meter.Finish(buffer.status(), buffer.ok() ? (*buffer)->size() : 0);
    return buffer;
  }

 private:
  std::shared_ptr<io::InputStream> base_;
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

class MeteredRandomAccessFile : public io::RandomAccessFile {
 public:
  MeteredRandomAccessFile(std::shared_ptr<io::RandomAccessFile> base,
                          std::shared_ptr<MeteredFileSystem::Slot> slot)
      : base_(std::move(base)), slot_(std::move(slot)) {}

  arrow::Status Close() override { return base_->Close(); }
  arrow::Status Abort() override { return base_->Abort(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Status Seek(int64_t position) override { return base_->Seek(position); }
  arrow::Result<int64_t> GetSize() override { return base_->GetSize(); }
  bool supports_zero_copy() const override { return base_->supports_zero_copy(); }

  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    Meter meter(slot_, "read");
    auto n = base_->Read(nbytes, out);
    meter.Finish(n.status(), n.ok() ? *n : 0);
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    Meter meter(slot_, "read");
    auto buffer = base_->Read(nbytes);
    meter.Finish(buffer.status(), buffer.ok() ? (*buffer)->size() : 0);
    return buffer;
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    Meter meter(slot_, "read");
    auto n = base_->ReadAt(position, nbytes, out);
    meter.Finish(n.status(), n.ok() ? *n : 0);
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    Meter meter(slot_, "read");
    auto buffer = base_->ReadAt(position, nbytes);
    meter.Finish(buffer.status(), buffer.ok() ? (*buffer)->size() : 0);
    return buffer;
  }

 private:
  std::shared_ptr<io::RandomAccessFile> base_;
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

class MeteredExclusiveCreator : public ExclusiveCreator {
 public:
  MeteredExclusiveCreator(std::shared_ptr<ExclusiveCreator> base,
                          std::shared_ptr<MeteredFileSystem::Slot> slot)
      : base_(std::move(base)), slot_(std::move(slot)) {}

  arrow::Status CreateExclusive(const std::string& path,
                                std::string_view contents) override {
    Meter meter(slot_, "create_exclusive");
    auto st = base_->CreateExclusive(path, contents);
    meter.Finish(st, st.ok() ? static_cast<int64_t>(contents.size()) : 0,
                 /*failed=*/!st.IsAlreadyExists());
    return st;
  }

 private:
  std::shared_ptr<ExclusiveCreator> base_;
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

}  // namespace

MeteredFileSystem::MeteredFileSystem(std::shared_ptr<fs::FileSystem> base)
    : fs::FileSystem(base->io_context()),
      base_(std::move(base)),
      slot_(std::make_shared<Slot>()) {}

MeteredFileSystem::~MeteredFileSystem() = default;

void MeteredFileSystem::SetListener(std::shared_ptr<ObjectStoreListener> listener) {
  slot_->Set(std::move(listener));
}

bool MeteredFileSystem::Equals(const fs::FileSystem& other) const {
  return this == &other;
}

arrow::Result<std::string> MeteredFileSystem::NormalizePath(std::string path) {
  return base_->NormalizePath(std::move(path));
}

arrow::Result<std::string> MeteredFileSystem::PathFromUri(
    const std::string& uri_string) const {
  return base_->PathFromUri(uri_string);
}

arrow::Result<fs::FileInfo> MeteredFileSystem::GetFileInfo(const std::string& path) {
  return Metered<fs::FileInfo>(slot_, "stat", [&] { return base_->GetFileInfo(path); });
}

arrow::Result<fs::FileInfoVector> MeteredFileSystem::GetFileInfo(
    const fs::FileSelector& select) {
  return Metered<fs::FileInfoVector>(slot_, "list",
                                     [&] { return base_->GetFileInfo(select); });
}

arrow::Status MeteredFileSystem::CreateDir(const std::string& path, bool recursive) {
  return MeteredStatus(slot_, "create_dir",
                       [&] { return base_->CreateDir(path, recursive); });
}

arrow::Status MeteredFileSystem::DeleteDir(const std::string& path) {
  return MeteredStatus(slot_, "delete", [&] { return base_->DeleteDir(path); });
}

arrow::Status MeteredFileSystem::DeleteDirContents(const std::string& path,
                                                   bool missing_dir_ok) {
  return MeteredStatus(slot_, "delete",
                       [&] { return base_->DeleteDirContents(path, missing_dir_ok); });
}

arrow::Status MeteredFileSystem::DeleteRootDirContents() {
  return MeteredStatus(slot_, "delete", [&] { return base_->DeleteRootDirContents(); });
}

arrow::Status MeteredFileSystem::DeleteFile(const std::string& path) {
  return MeteredStatus(slot_, "delete", [&] { return base_->DeleteFile(path); });
}

arrow::Status MeteredFileSystem::Move(const std::string& src, const std::string& dest) {
  return MeteredStatus(slot_, "move", [&] { return base_->Move(src, dest); });
}

arrow::Status MeteredFileSystem::CopyFile(const std::string& src,
                                          const std::string& dest) {
  return MeteredStatus(slot_, "copy", [&] { return base_->CopyFile(src, dest); });
}

arrow::Result<std::shared_ptr<io::InputStream>> MeteredFileSystem::OpenInputStream(
    const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::InputStream>>(
                       slot_, "open_read", [&] { return base_->OpenInputStream(path); }));
  return std::make_shared<MeteredInputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::InputStream>> MeteredFileSystem::OpenInputStream(
    const fs::FileInfo& info) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::InputStream>>(
                       slot_, "open_read", [&] { return base_->OpenInputStream(info); }));
  return std::make_shared<MeteredInputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> MeteredFileSystem::OpenInputFile(
    const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(
      auto file, Metered<std::shared_ptr<io::RandomAccessFile>>(
                     slot_, "open_read", [&] { return base_->OpenInputFile(path); }));
  return std::make_shared<MeteredRandomAccessFile>(std::move(file), slot_);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> MeteredFileSystem::OpenInputFile(
    const fs::FileInfo& info) {
  ARROW_ASSIGN_OR_RAISE(
      auto file, Metered<std::shared_ptr<io::RandomAccessFile>>(
                     slot_, "open_read", [&] { return base_->OpenInputFile(info); }));
  return std::make_shared<MeteredRandomAccessFile>(std::move(file), slot_);
}

arrow::Result<std::shared_ptr<io::OutputStream>> MeteredFileSystem::OpenOutputStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::OutputStream>>(slot_, "open_write", [&] {
        return base_->OpenOutputStream(path, metadata);
      }));
  return std::make_shared<MeteredOutputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::OutputStream>> MeteredFileSystem::OpenAppendStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::OutputStream>>(slot_, "open_write", [&] {
        return base_->OpenAppendStream(path, metadata);
      }));
  return std::make_shared<MeteredOutputStream>(std::move(stream), slot_);
}

std::shared_ptr<ExclusiveCreator> MeterExclusiveCreator(
    std::shared_ptr<ExclusiveCreator> creator, const MeteredFileSystem& metered) {
  return std::make_shared<MeteredExclusiveCreator>(std::move(creator), metered.slot());
}

}  // namespace quiver::store
