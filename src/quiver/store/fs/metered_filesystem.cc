#include "quiver/store/fs/metered_filesystem.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <utility>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/fs/forwarding_streams.h"
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

class MeteredOutputStream : public ForwardingOutputStream {
 public:
  MeteredOutputStream(std::shared_ptr<io::OutputStream> stream,
                      std::shared_ptr<MeteredFileSystem::Slot> slot)
      : ForwardingOutputStream(std::move(stream)), slot_(std::move(slot)) {}

  arrow::Status Close() override {
    if (closed()) return wrapped()->Close();
    return MeteredStatus(slot_, "close_write", [&] { return wrapped()->Close(); });
  }
  arrow::Status Abort() override {
    if (closed()) return wrapped()->Abort();
    return MeteredStatus(slot_, "abort_write", [&] { return wrapped()->Abort(); });
  }

  // Writes to a closed stream (a writer flushing into an aborted upload) reach no
  // store: they fail without being counted as requests.
  arrow::Status Write(const void* data, int64_t nbytes) override {
    if (closed()) return wrapped()->Write(data, nbytes);
    Meter meter(slot_, "write");
    auto st = wrapped()->Write(data, nbytes);
    meter.Finish(st, st.ok() ? nbytes : 0);
    return st;
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    if (closed()) return wrapped()->Write(data);
    Meter meter(slot_, "write");
    auto st = wrapped()->Write(data);
    meter.Finish(st, st.ok() ? data->size() : 0);
    return st;
  }

 private:
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

/// The bytes a read returned.
int64_t BytesRead(const arrow::Result<int64_t>& read) { return read.ok() ? *read : 0; }
int64_t BytesRead(const arrow::Result<std::shared_ptr<arrow::Buffer>>& read) {
  return read.ok() ? (*read)->size() : 0;
}

/// Every read of `Forwarding` (an input stream or a random-access file), metered.
template <typename Forwarding>
class MeteredReads : public Forwarding {
 public:
  template <typename Stream>
  MeteredReads(std::shared_ptr<Stream> stream,
               std::shared_ptr<MeteredFileSystem::Slot> slot)
      : Forwarding(std::move(stream)), slot_(std::move(slot)) {}

  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return Count([&] { return this->wrapped()->Read(nbytes, out); });
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return Count([&] { return this->wrapped()->Read(nbytes); });
  }

 protected:
  /// Meters `read`, a call returning the bytes read or a buffer of them, as "read".
  template <typename Call>
  auto Count(Call&& read) {
    Meter meter(slot_, "read");
    auto result = read();
    meter.Finish(result.status(), BytesRead(result));
    return result;
  }

 private:
  std::shared_ptr<MeteredFileSystem::Slot> slot_;
};

using MeteredInputStream = MeteredReads<ForwardingInputStream>;

class MeteredRandomAccessFile : public MeteredReads<ForwardingRandomAccessFile> {
 public:
  using MeteredReads::MeteredReads;

  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    return Count([&] { return wrapped()->ReadAt(position, nbytes, out); });
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    return Count([&] { return wrapped()->ReadAt(position, nbytes); });
  }
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
    : ForwardingFileSystem(std::move(base)), slot_(std::make_shared<Slot>()) {}

MeteredFileSystem::~MeteredFileSystem() = default;

void MeteredFileSystem::SetListener(std::shared_ptr<ObjectStoreListener> listener) {
  slot_->Set(std::move(listener));
}

arrow::Result<fs::FileInfo> MeteredFileSystem::GetFileInfo(const std::string& path) {
  return Metered<fs::FileInfo>(slot_, "stat",
                               [&] { return wrapped()->GetFileInfo(path); });
}

arrow::Result<fs::FileInfoVector> MeteredFileSystem::GetFileInfo(
    const fs::FileSelector& select) {
  return Metered<fs::FileInfoVector>(slot_, "list",
                                     [&] { return wrapped()->GetFileInfo(select); });
}

arrow::Status MeteredFileSystem::CreateDir(const std::string& path, bool recursive) {
  return MeteredStatus(slot_, "create_dir",
                       [&] { return wrapped()->CreateDir(path, recursive); });
}

arrow::Status MeteredFileSystem::DeleteDir(const std::string& path) {
  return MeteredStatus(slot_, "delete", [&] { return wrapped()->DeleteDir(path); });
}

arrow::Status MeteredFileSystem::DeleteDirContents(const std::string& path,
                                                   bool missing_dir_ok) {
  return MeteredStatus(slot_, "delete", [&] {
    return wrapped()->DeleteDirContents(path, missing_dir_ok);
  });
}

arrow::Status MeteredFileSystem::DeleteRootDirContents() {
  return MeteredStatus(slot_, "delete",
                       [&] { return wrapped()->DeleteRootDirContents(); });
}

arrow::Status MeteredFileSystem::DeleteFile(const std::string& path) {
  return MeteredStatus(slot_, "delete", [&] { return wrapped()->DeleteFile(path); });
}

arrow::Status MeteredFileSystem::Move(const std::string& src, const std::string& dest) {
  return MeteredStatus(slot_, "move", [&] { return wrapped()->Move(src, dest); });
}

arrow::Status MeteredFileSystem::CopyFile(const std::string& src,
                                          const std::string& dest) {
  return MeteredStatus(slot_, "copy", [&] { return wrapped()->CopyFile(src, dest); });
}

arrow::Result<std::shared_ptr<io::InputStream>> MeteredFileSystem::OpenInputStream(
    const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::InputStream>>(slot_, "open_read", [&] {
        return wrapped()->OpenInputStream(path);
      }));
  return std::make_shared<MeteredInputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::InputStream>> MeteredFileSystem::OpenInputStream(
    const fs::FileInfo& info) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::InputStream>>(slot_, "open_read", [&] {
        return wrapped()->OpenInputStream(info);
      }));
  return std::make_shared<MeteredInputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> MeteredFileSystem::OpenInputFile(
    const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(
      auto file, Metered<std::shared_ptr<io::RandomAccessFile>>(
                     slot_, "open_read", [&] { return wrapped()->OpenInputFile(path); }));
  return std::make_shared<MeteredRandomAccessFile>(std::move(file), slot_);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>> MeteredFileSystem::OpenInputFile(
    const fs::FileInfo& info) {
  ARROW_ASSIGN_OR_RAISE(
      auto file, Metered<std::shared_ptr<io::RandomAccessFile>>(
                     slot_, "open_read", [&] { return wrapped()->OpenInputFile(info); }));
  return std::make_shared<MeteredRandomAccessFile>(std::move(file), slot_);
}

arrow::Result<std::shared_ptr<io::OutputStream>> MeteredFileSystem::OpenOutputStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::OutputStream>>(slot_, "open_write", [&] {
        return wrapped()->OpenOutputStream(path, metadata);
      }));
  return std::make_shared<MeteredOutputStream>(std::move(stream), slot_);
}

arrow::Result<std::shared_ptr<io::OutputStream>> MeteredFileSystem::OpenAppendStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_ASSIGN_OR_RAISE(
      auto stream, Metered<std::shared_ptr<io::OutputStream>>(slot_, "open_write", [&] {
        return wrapped()->OpenAppendStream(path, metadata);
      }));
  return std::make_shared<MeteredOutputStream>(std::move(stream), slot_);
}

std::shared_ptr<ExclusiveCreator> MeterExclusiveCreator(
    std::shared_ptr<ExclusiveCreator> creator, const MeteredFileSystem& metered) {
  return std::make_shared<MeteredExclusiveCreator>(std::move(creator), metered.slot());
}

}  // namespace quiver::store
