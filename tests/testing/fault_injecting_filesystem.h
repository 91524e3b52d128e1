#pragma once

/// \file
/// A file system that makes chosen calls of another one fail, come up short or stall,
/// for tests that check how the store behaves when the disk misbehaves.
///
///     auto fs = std::make_shared<FaultInjectingFileSystem>(local, /*seed=*/1);
///     fs->AddRule({.op = FsOp::kWrite, .fault = Fault::kNoSpace, .nth = 3});
///     ... the third write from now fails with ENOSPC ...
///     fs->calls(FsOp::kWrite);  // writes attempted so far
///
/// Errors are IOErrors carrying the errno as Arrow's errno StatusDetail, as
/// arrow::fs::LocalFileSystem reports real ones, and their message names the path
/// (as real ones do), so tests can check that no path reaches a client.
///
/// It is a store::ForwardingFileSystem: the store's durability steps (fsync, rmdir)
/// look through it to the local file system, and it counts and can fail them as
/// FsOp::kSync, FsOp::kDelete (rmdir) and FsOp::kCreateExclusive.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/fs/forwarding_filesystem.h"

namespace quiver::testing {

/// \brief The kinds of call a rule can target.
enum class FsOp {
  kOpenRead,         ///< OpenInputFile, OpenInputStream
  kOpenWrite,        ///< OpenOutputStream, OpenAppendStream
  kRead,             ///< Read / ReadAt on an opened file
  kWrite,            ///< Write on an output stream
  kFlush,            ///< Flush on an output stream
  kClose,            ///< Close (or Abort) of an output stream
  kSync,             ///< fsync of a file or directory (store/durability.h)
  kMove,             ///< Move (rename)
  kDelete,           ///< DeleteFile, DeleteDir, DeleteDirContents, rmdir of an empty dir
  kList,             ///< GetFileInfo(FileSelector): a directory listing
  kStat,             ///< GetFileInfo of paths
  kCreateDir,        ///< CreateDir
  kCopy,             ///< CopyFile
  kCreateExclusive,  ///< a small file created whole if absent (store manifests)
};
inline constexpr int kFsOpCount = 14;

/// \brief The name of an operation kind ("write", "sync", ...).
const char* FsOpName(FsOp op);

/// \brief What happens to a targeted call.
enum class Fault {
  kNoSpace,    ///< fails with ENOSPC
  kIoError,    ///< fails with EIO
  kAccess,     ///< fails with EACCES
  kShortRead,  ///< a read returns half the bytes asked for (other calls: no effect)
  kStall,      ///< the call waits `stall` and then runs normally
  kHold,       ///< the call waits until ReleaseHeld(), then runs normally
};

/// \brief The name of a fault ("ENOSPC", "short read", ...).
const char* FaultName(Fault fault);

/// \brief When and how calls fail.
struct FaultRule {
  FsOp op = FsOp::kWrite;
  Fault fault = Fault::kIoError;
  /// Fire on the nth matching call counted from when the rule was added (1 = the next
  /// one). 0: fire on each matching call with `probability` instead.
  int64_t nth = 1;
  double probability = 0;
  /// Fire at most this many times (-1: every time from then on, like a full disk).
  int64_t times = 1;
  /// Only calls whose path contains this (empty: all calls of `op`).
  std::string path_contains = {};
  /// For Fault::kStall.
  std::chrono::milliseconds stall{0};
};

/// \brief An arrow::fs::FileSystem forwarding to another one, failing calls as its
/// rules say. Thread-safe; deterministic for a given seed and sequence of calls.
class FaultInjectingFileSystem : public store::ForwardingFileSystem {
 public:
  explicit FaultInjectingFileSystem(std::shared_ptr<arrow::fs::FileSystem> base,
                                    uint64_t seed = 0);
  ~FaultInjectingFileSystem() override;

  /// Honest: this is not the local file system, even when it wraps one.
  std::string type_name() const override { return "fault-injecting"; }

  /// \brief Add a rule; rules are checked in the order added, the first firing wins.
  void AddRule(FaultRule rule);
  /// \brief Remove every rule (calls then all succeed).
  void ClearRules();
  /// \brief Block until `count` calls are waiting on Fault::kHold rules (at once).
  void WaitForHeld(int count);
  /// \brief Let every held call go on, and every later one pass kHold rules without
  /// waiting.
  void ReleaseHeld();

  /// \brief Calls of `op` made so far (faulted or not).
  int64_t calls(FsOp op) const;
  /// \brief Calls of `op` that a rule faulted so far.
  int64_t faults(FsOp op) const;
  /// \brief Faults injected so far, all kinds.
  int64_t total_faults() const;

  // store::ForwardingFileSystem: every call, checked against the rules first.
  arrow::Status BeforeDirectOperation(store::DirectOperation operation,
                                      const std::string& path) const override;

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

  /// \brief The state shared with the streams this file system opened.
  class Injector;

 private:
  std::shared_ptr<Injector> injector_;
};

/// \brief What a targeted call must do, decided by an Injector.
struct FaultDecision {
  /// Non-OK: fail the call with this.
  arrow::Status status;
  /// The call is a read that must come up short.
  bool short_read = false;
};

/// \brief The rules and counters of a FaultInjectingFileSystem (internal to it and
/// its streams; exposed only so that they can share it).
class FaultInjectingFileSystem::Injector {
 public:
  explicit Injector(uint64_t seed) : rng_(seed) {}

  /// \brief Count a call of `op` on `path` and decide its fate (stalls happen here).
  FaultDecision Check(FsOp op, const std::string& path);

  void AddRule(FaultRule rule);
  void ClearRules();
  void WaitForHeld(int count);
  void ReleaseHeld();
  int64_t calls(FsOp op) const { return calls_[static_cast<int>(op)].load(); }
  int64_t faults(FsOp op) const { return faults_[static_cast<int>(op)].load(); }

 private:
  struct ActiveRule {
    FaultRule rule;
    int64_t matched = 0;
    int64_t fired = 0;
  };

  mutable std::mutex mutex_;
  std::condition_variable held_changed_;
  int held_ = 0;           // guarded by mutex_: calls waiting on a kHold rule
  bool released_ = false;  // guarded by mutex_
  std::vector<ActiveRule> rules_;
  std::mt19937_64 rng_;
  std::atomic<int64_t> calls_[kFsOpCount] = {};
  std::atomic<int64_t> faults_[kFsOpCount] = {};
};

}  // namespace quiver::testing
