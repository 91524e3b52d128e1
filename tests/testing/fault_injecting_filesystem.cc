#include "testing/fault_injecting_filesystem.h"

#include <cerrno>
#include <thread>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>
#include <arrow/util/io_util.h>

#include "quiver/store/fs/forwarding_streams.h"

namespace quiver::testing {

namespace fs = arrow::fs;
namespace io = arrow::io;
using Injector = FaultInjectingFileSystem::Injector;

const char* FsOpName(FsOp op) {
  switch (op) {
    case FsOp::kOpenRead:
      return "open-read";
    case FsOp::kOpenWrite:
      return "open-write";
    case FsOp::kRead:
      return "read";
    case FsOp::kWrite:
      return "write";
    case FsOp::kFlush:
      return "flush";
    case FsOp::kClose:
      return "close";
    case FsOp::kSync:
      return "sync";
    case FsOp::kMove:
      return "move";
    case FsOp::kDelete:
      return "delete";
    case FsOp::kList:
      return "list";
    case FsOp::kStat:
      return "stat";
    case FsOp::kCreateDir:
      return "create-dir";
    case FsOp::kCopy:
      return "copy";
    case FsOp::kCreateExclusive:
      return "create-exclusive";
  }
  return "?";
}

const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNoSpace:
      return "ENOSPC";
    case Fault::kIoError:
      return "EIO";
    case Fault::kAccess:
      return "EACCES";
    case Fault::kShortRead:
      return "short read";
    case Fault::kStall:
      return "stall";
    case Fault::kHold:
      return "hold";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// Injector

void Injector::AddRule(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rules_.push_back(ActiveRule{std::move(rule)});
}

void Injector::ClearRules() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

void Injector::WaitForHeld(int count) {
  std::unique_lock lock(mutex_);
  held_changed_.wait(lock, [&] { return held_ >= count; });
}

void Injector::ReleaseHeld() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  held_changed_.notify_all();
}

FaultDecision Injector::Check(FsOp op, const std::string& path) {
  calls_[static_cast<int>(op)].fetch_add(1);
  std::chrono::milliseconds stall{0};
  bool hold = false;
  FaultDecision decision;
  {
    std::unique_lock lock(mutex_);
    for (auto& active : rules_) {
      const FaultRule& rule = active.rule;
      if (rule.op != op) continue;
      if (!rule.path_contains.empty() &&
          path.find(rule.path_contains) == std::string::npos)
        continue;
      ++active.matched;
      if (rule.times >= 0 && active.fired >= rule.times) continue;
      bool fire;
      if (rule.nth > 0) {
        fire = active.matched >= rule.nth;
      } else {
        // Always draw, so that the sequence depends only on the seed and the calls.
        double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        fire = draw < rule.probability;
      }
      if (!fire) continue;
      ++active.fired;
      faults_[static_cast<int>(op)].fetch_add(1);
      switch (rule.fault) {
        case Fault::kNoSpace:
        case Fault::kIoError:
        case Fault::kAccess: {
          int error = rule.fault == Fault::kNoSpace   ? ENOSPC
                      : rule.fault == Fault::kIoError ? EIO
                                                      : EACCES;
          decision.status = arrow::internal::IOErrorFromErrno(
              error, "injected fault: ", FsOpName(op), " of '", path, "'");
          break;
        }
        case Fault::kShortRead:
          decision.short_read = (op == FsOp::kRead);
          break;
        case Fault::kStall:
          stall = rule.stall;
          break;
        case Fault::kHold:
          hold = true;
          break;
      }
      break;
    }
    if (hold && !released_) {
      ++held_;
      held_changed_.notify_all();
      held_changed_.wait(lock, [&] { return released_; });
      --held_;
    }
  }
  if (stall.count() > 0) std::this_thread::sleep_for(stall);
  return decision;
}

// ---------------------------------------------------------------------------
// Streams

namespace {

class FaultyOutputStream : public store::ForwardingOutputStream {
 public:
  FaultyOutputStream(std::shared_ptr<io::OutputStream> stream, std::string path,
                     std::shared_ptr<Injector> injector)
      : ForwardingOutputStream(std::move(stream)),
        path_(std::move(path)),
        injector_(std::move(injector)) {}

  arrow::Status Close() override {
    auto decision = injector_->Check(FsOp::kClose, path_);
    if (!decision.status.ok()) {
      // Like a real close that failed: the descriptor is gone all the same.
      (void)wrapped()->Abort();
      return decision.status;
    }
    return wrapped()->Close();
  }
  arrow::Status Abort() override {
    auto decision = injector_->Check(FsOp::kClose, path_);
    auto st = wrapped()->Abort();
    return decision.status.ok() ? st : decision.status;
  }
  arrow::Status Write(const void* data, int64_t nbytes) override {
    ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kWrite, path_).status);
    return wrapped()->Write(data, nbytes);
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kWrite, path_).status);
    return wrapped()->Write(data);
  }
  arrow::Status Flush() override {
    ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kFlush, path_).status);
    return wrapped()->Flush();
  }

 private:
  std::string path_;
  std::shared_ptr<Injector> injector_;
};

/// Every read of `Forwarding` (an input stream or a random-access file), checked
/// against the rules first; a short read asks for half the bytes.
template <typename Forwarding>
class FaultyReads : public Forwarding {
 public:
  template <typename Stream>
  FaultyReads(std::shared_ptr<Stream> stream, std::string path,
              std::shared_ptr<Injector> injector)
      : Forwarding(std::move(stream)),
        path_(std::move(path)),
        injector_(std::move(injector)) {}

  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, CheckRead(nbytes));
    return this->wrapped()->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, CheckRead(nbytes));
    return this->wrapped()->Read(nbytes);
  }

 protected:
  /// The bytes to ask for instead of `nbytes`, or the injected error.
  arrow::Result<int64_t> CheckRead(int64_t nbytes) {
    auto decision = injector_->Check(FsOp::kRead, path_);
    ARROW_RETURN_NOT_OK(decision.status);
    return decision.short_read ? nbytes / 2 : nbytes;
  }

 private:
  std::string path_;
  std::shared_ptr<Injector> injector_;
};

using FaultyInputStream = FaultyReads<store::ForwardingInputStream>;

class FaultyRandomAccessFile : public FaultyReads<store::ForwardingRandomAccessFile> {
 public:
  using FaultyReads::FaultyReads;

  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, CheckRead(nbytes));
    return wrapped()->ReadAt(position, nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, CheckRead(nbytes));
    return wrapped()->ReadAt(position, nbytes);
  }
};

}  // namespace

// ---------------------------------------------------------------------------
// FaultInjectingFileSystem

FaultInjectingFileSystem::FaultInjectingFileSystem(std::shared_ptr<fs::FileSystem> base,
                                                   uint64_t seed)
    : ForwardingFileSystem(std::move(base)),
      injector_(std::make_shared<Injector>(seed)) {}

FaultInjectingFileSystem::~FaultInjectingFileSystem() = default;

void FaultInjectingFileSystem::AddRule(FaultRule rule) {
  injector_->AddRule(std::move(rule));
}
void FaultInjectingFileSystem::ClearRules() { injector_->ClearRules(); }
void FaultInjectingFileSystem::WaitForHeld(int count) { injector_->WaitForHeld(count); }
void FaultInjectingFileSystem::ReleaseHeld() { injector_->ReleaseHeld(); }
int64_t FaultInjectingFileSystem::calls(FsOp op) const { return injector_->calls(op); }
int64_t FaultInjectingFileSystem::faults(FsOp op) const { return injector_->faults(op); }
int64_t FaultInjectingFileSystem::total_faults() const {
  int64_t total = 0;
  for (int i = 0; i < kFsOpCount; ++i) total += injector_->faults(static_cast<FsOp>(i));
  return total;
}

arrow::Status FaultInjectingFileSystem::BeforeDirectOperation(
    store::DirectOperation operation, const std::string& path) const {
  FsOp op = FsOp::kSync;
  if (operation == store::DirectOperation::kRemoveEmptyDirectory) op = FsOp::kDelete;
  if (operation == store::DirectOperation::kCreateExclusive) op = FsOp::kCreateExclusive;
  return injector_->Check(op, path).status;
}

arrow::Result<fs::FileInfo> FaultInjectingFileSystem::GetFileInfo(
    const std::string& path) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kStat, path).status);
  return wrapped()->GetFileInfo(path);
}

arrow::Result<fs::FileInfoVector> FaultInjectingFileSystem::GetFileInfo(
    const fs::FileSelector& select) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kList, select.base_dir).status);
  return wrapped()->GetFileInfo(select);
}

arrow::Status FaultInjectingFileSystem::CreateDir(const std::string& path,
                                                  bool recursive) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kCreateDir, path).status);
  return wrapped()->CreateDir(path, recursive);
}

arrow::Status FaultInjectingFileSystem::DeleteDir(const std::string& path) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kDelete, path).status);
  return wrapped()->DeleteDir(path);
}

arrow::Status FaultInjectingFileSystem::DeleteDirContents(const std::string& path,
                                                          bool missing_dir_ok) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kDelete, path).status);
  return wrapped()->DeleteDirContents(path, missing_dir_ok);
}

arrow::Status FaultInjectingFileSystem::DeleteRootDirContents() {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kDelete, "/").status);
  return wrapped()->DeleteRootDirContents();
}

arrow::Status FaultInjectingFileSystem::DeleteFile(const std::string& path) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kDelete, path).status);
  return wrapped()->DeleteFile(path);
}

arrow::Status FaultInjectingFileSystem::Move(const std::string& src,
                                             const std::string& dest) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kMove, src).status);
  return wrapped()->Move(src, dest);
}

arrow::Status FaultInjectingFileSystem::CopyFile(const std::string& src,
                                                 const std::string& dest) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kCopy, dest).status);
  return wrapped()->CopyFile(src, dest);
}

arrow::Result<std::shared_ptr<io::InputStream>> FaultInjectingFileSystem::OpenInputStream(
    const std::string& path) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kOpenRead, path).status);
  ARROW_ASSIGN_OR_RAISE(auto stream, wrapped()->OpenInputStream(path));
  return std::make_shared<FaultyInputStream>(std::move(stream), path, injector_);
}

// By FileInfo: checked and wrapped as by path (the FileInfo adds nothing locally).
arrow::Result<std::shared_ptr<io::InputStream>> FaultInjectingFileSystem::OpenInputStream(
    const fs::FileInfo& info) {
  return OpenInputStream(info.path());
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>>
FaultInjectingFileSystem::OpenInputFile(const std::string& path) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kOpenRead, path).status);
  ARROW_ASSIGN_OR_RAISE(auto file, wrapped()->OpenInputFile(path));
  return std::make_shared<FaultyRandomAccessFile>(std::move(file), path, injector_);
}

arrow::Result<std::shared_ptr<io::RandomAccessFile>>
FaultInjectingFileSystem::OpenInputFile(const fs::FileInfo& info) {
  return OpenInputFile(info.path());
}

arrow::Result<std::shared_ptr<io::OutputStream>>
FaultInjectingFileSystem::OpenOutputStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kOpenWrite, path).status);
  ARROW_ASSIGN_OR_RAISE(auto stream, wrapped()->OpenOutputStream(path, metadata));
  return std::make_shared<FaultyOutputStream>(std::move(stream), path, injector_);
}

arrow::Result<std::shared_ptr<io::OutputStream>>
FaultInjectingFileSystem::OpenAppendStream(
    const std::string& path,
    const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_RETURN_NOT_OK(injector_->Check(FsOp::kOpenWrite, path).status);
  ARROW_ASSIGN_OR_RAISE(auto stream, wrapped()->OpenAppendStream(path, metadata));
  return std::make_shared<FaultyOutputStream>(std::move(stream), path, injector_);
}

}  // namespace quiver::testing
