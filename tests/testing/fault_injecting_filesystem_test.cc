#include "testing/fault_injecting_filesystem.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include <arrow/buffer.h>
#include <arrow/filesystem/localfs.h>
#include <arrow/io/interfaces.h>
#include <arrow/util/io_util.h>

#include "quiver/store/fs/durability.h"

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver::testing {
namespace {

using arrow::internal::ErrnoFromStatus;

class FaultInjectingFileSystemTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.path() + "/" + name; }

  arrow::Status WriteFile(const std::string& name, const std::string& text,
                          int pieces = 1) {
    ARROW_ASSIGN_OR_RAISE(auto out, fs_->OpenOutputStream(Path(name)));
    size_t step = text.size() / pieces;
    for (int i = 0; i < pieces; ++i) {
      size_t begin = i * step;
      size_t size = i + 1 == pieces ? text.size() - begin : step;
      ARROW_RETURN_NOT_OK(out->Write(text.data() + begin, static_cast<int64_t>(size)));
    }
    ARROW_RETURN_NOT_OK(out->Flush());
    return out->Close();
  }

  TempDir dir_;
  std::shared_ptr<arrow::fs::FileSystem> local_ =
      std::make_shared<arrow::fs::LocalFileSystem>();
  std::shared_ptr<FaultInjectingFileSystem> fs_ =
      std::make_shared<FaultInjectingFileSystem>(local_, /*seed=*/42);
};

TEST_F(FaultInjectingFileSystemTest, ForwardsAndCountsEveryKindOfCall) {
  ASSERT_OK(fs_->CreateDir(Path("sub"), /*recursive=*/true));
  ASSERT_OK(WriteFile("sub/a", "hello world", /*pieces=*/3));
  ASSERT_OK(fs_->Move(Path("sub/a"), Path("sub/b")));
  ASSERT_OK(fs_->CopyFile(Path("sub/b"), Path("sub/c")));
  auto info = fs_->GetFileInfo(Path("sub/b"));
  ASSERT_OK(info.status());
  EXPECT_EQ(info->size(), 11);
  arrow::fs::FileSelector selector;
  selector.base_dir = Path("sub");
  auto listing = fs_->GetFileInfo(selector);
  ASSERT_OK(listing.status());
  EXPECT_EQ(listing->size(), 2u);
  auto file = fs_->OpenInputFile(Path("sub/b"));
  ASSERT_OK(file.status());
  auto bytes = (*file)->ReadAt(6, 5);
  ASSERT_OK(bytes.status());
  EXPECT_EQ((*bytes)->ToString(), "world");
  ASSERT_OK(fs_->DeleteFile(Path("sub/c")));

  EXPECT_EQ(fs_->calls(FsOp::kCreateDir), 1);
  EXPECT_EQ(fs_->calls(FsOp::kOpenWrite), 1);
  EXPECT_EQ(fs_->calls(FsOp::kWrite), 3);
  EXPECT_EQ(fs_->calls(FsOp::kFlush), 1);
  EXPECT_EQ(fs_->calls(FsOp::kClose), 1);
  EXPECT_EQ(fs_->calls(FsOp::kMove), 1);
  EXPECT_EQ(fs_->calls(FsOp::kCopy), 1);
  EXPECT_EQ(fs_->calls(FsOp::kStat), 1);
  EXPECT_EQ(fs_->calls(FsOp::kList), 1);
  EXPECT_EQ(fs_->calls(FsOp::kOpenRead), 1);
  EXPECT_EQ(fs_->calls(FsOp::kRead), 1);
  EXPECT_EQ(fs_->calls(FsOp::kDelete), 1);
  EXPECT_EQ(fs_->total_faults(), 0);
  EXPECT_EQ(fs_->type_name(), "fault-injecting");
}

TEST_F(FaultInjectingFileSystemTest, FailsTheNthCallWithTheErrno) {
  struct Case {
    Fault fault;
    int error;
  };
  for (Case c : {Case{Fault::kNoSpace, ENOSPC}, Case{Fault::kIoError, EIO},
                 Case{Fault::kAccess, EACCES}}) {
    SCOPED_TRACE(FaultName(c.fault));
    fs_->ClearRules();
    fs_->AddRule({.op = FsOp::kWrite, .fault = c.fault, .nth = 3});
    ASSERT_OK_AND_ASSIGN(auto out, fs_->OpenOutputStream(Path("f")));
    EXPECT_TRUE(out->Write("a", 1).ok());
    EXPECT_TRUE(out->Write("b", 1).ok());
    auto st = out->Write("c", 1);
    ASSERT_TRUE(st.IsIOError()) << st.ToString();
    EXPECT_EQ(ErrnoFromStatus(st), c.error);
    EXPECT_NE(st.message().find(Path("f")), std::string::npos) << "names the path";
    EXPECT_TRUE(out->Write("d", 1).ok()) << "fires once by default";
    ASSERT_OK(out->Close());
  }
  EXPECT_EQ(fs_->faults(FsOp::kWrite), 3);
}

TEST_F(FaultInjectingFileSystemTest, PersistentRuleFailsEveryCallUntilCleared) {
  fs_->AddRule({.op = FsOp::kCreateDir, .fault = Fault::kNoSpace, .nth = 2, .times = -1});
  EXPECT_TRUE(fs_->CreateDir(Path("a"), true).ok());
  EXPECT_FALSE(fs_->CreateDir(Path("b"), true).ok());
  EXPECT_FALSE(fs_->CreateDir(Path("c"), true).ok());
  EXPECT_FALSE(std::filesystem::exists(Path("c")));
  fs_->ClearRules();
  EXPECT_TRUE(fs_->CreateDir(Path("c"), true).ok());
  EXPECT_EQ(fs_->faults(FsOp::kCreateDir), 2);
}

TEST_F(FaultInjectingFileSystemTest, PathFilterTargetsOnlyMatchingCalls) {
  fs_->AddRule({.op = FsOp::kOpenWrite,
                .fault = Fault::kAccess,
                .times = -1,
                .path_contains = "secret"});
  EXPECT_TRUE(WriteFile("plain", "x").ok());
  auto st = WriteFile("secret-file", "x");
  EXPECT_EQ(ErrnoFromStatus(st), EACCES);
}

TEST_F(FaultInjectingFileSystemTest, ProbabilityIsDeterministicBySeed) {
  auto pattern = [&](uint64_t seed) {
    auto fs = std::make_shared<FaultInjectingFileSystem>(local_, seed);
    fs->AddRule({.op = FsOp::kStat,
                 .fault = Fault::kIoError,
                 .nth = 0,
                 .probability = 0.5,
                 .times = -1});
    std::string bits;
    for (int i = 0; i < 200; ++i) bits += fs->GetFileInfo(dir_.path()).ok() ? '.' : 'x';
    return bits;
  };
  std::string a = pattern(7), b = pattern(7), c = pattern(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  auto failures = std::count(a.begin(), a.end(), 'x');
  EXPECT_GT(failures, 60);
  EXPECT_LT(failures, 140);
}

TEST_F(FaultInjectingFileSystemTest, ShortReadsReturnHalf) {
  ASSERT_OK(WriteFile("f", "0123456789"));
  fs_->AddRule({.op = FsOp::kRead, .fault = Fault::kShortRead, .times = 2});
  ASSERT_OK_AND_ASSIGN(auto file, fs_->OpenInputFile(Path("f")));
  ASSERT_OK_AND_ASSIGN(auto first, file->ReadAt(0, 10));
  EXPECT_EQ(first->ToString(), "01234");
  char buffer[10];
  ASSERT_OK_AND_ASSIGN(auto n, file->ReadAt(2, 8, buffer));
  EXPECT_EQ(n, 4);
  ASSERT_OK_AND_ASSIGN(auto whole, file->ReadAt(0, 10));
  EXPECT_EQ(whole->ToString(), "0123456789");
  ASSERT_OK_AND_ASSIGN(auto stream, fs_->OpenInputStream(Path("f")));
  ASSERT_OK_AND_ASSIGN(auto all, stream->Read(10));
  EXPECT_EQ(all->size(), 10);
}

TEST_F(FaultInjectingFileSystemTest, StallsDelayThenSucceed) {
  fs_->AddRule({.op = FsOp::kStat,
                .fault = Fault::kStall,
                .stall = std::chrono::milliseconds(150)});
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(fs_->GetFileInfo(dir_.path()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  // The rule fired once (the default): the second call was not stalled. Counted, not
  // timed: on a busy machine any call can take 150 ms.
  EXPECT_TRUE(fs_->GetFileInfo(dir_.path()).ok());
  EXPECT_EQ(fs_->faults(FsOp::kStat), 1);
  EXPECT_EQ(fs_->calls(FsOp::kStat), 2);
}

TEST_F(FaultInjectingFileSystemTest, HeldCallsWaitUntilReleased) {
  fs_->AddRule({.op = FsOp::kStat, .fault = Fault::kHold, .times = -1});
  std::atomic<bool> returned{false};
  std::thread held([&] {
    EXPECT_TRUE(fs_->GetFileInfo(dir_.path()).ok());
    returned = true;
  });
  fs_->WaitForHeld(1);
  EXPECT_FALSE(returned.load()) << "a held call waits for ReleaseHeld";
  fs_->ReleaseHeld();
  held.join();
  EXPECT_TRUE(returned.load());
  EXPECT_TRUE(fs_->GetFileInfo(dir_.path()).ok()) << "released: no more waiting";
  EXPECT_EQ(fs_->faults(FsOp::kStat), 2);
}

TEST_F(FaultInjectingFileSystemTest, FailedCloseReleasesTheFile) {
  fs_->AddRule({.op = FsOp::kClose, .fault = Fault::kIoError});
  ASSERT_OK_AND_ASSIGN(auto out, fs_->OpenOutputStream(Path("f")));
  ASSERT_OK(out->Write("abc", 3));
  EXPECT_EQ(ErrnoFromStatus(out->Close()), EIO);
  EXPECT_TRUE(out->closed());
}

// Durability steps go through the wrapper to the local file system: they are counted,
// can be failed, and really run (an fsync of a missing file fails; before durability
// looked through wrappers it was skipped because type_name() is not "local").
TEST_F(FaultInjectingFileSystemTest, DurabilityLooksThroughTheWrapper) {
  ASSERT_OK(WriteFile("f", "data"));
  EXPECT_EQ(store::LocalPathOf(*fs_, Path("f")), Path("f"));
  ASSERT_OK(store::SyncFile(*fs_, Path("f")));
  ASSERT_OK(store::SyncDirectory(*fs_, dir_.path()));
  EXPECT_EQ(fs_->calls(FsOp::kSync), 2);

  auto missing = store::SyncFile(*fs_, Path("missing"));
  EXPECT_EQ(ErrnoFromStatus(missing), ENOENT) << missing.ToString();

  fs_->AddRule({.op = FsOp::kSync, .fault = Fault::kNoSpace});
  EXPECT_EQ(ErrnoFromStatus(store::SyncFile(*fs_, Path("f"))), ENOSPC);

  std::filesystem::create_directory(Path("empty"));
  fs_->AddRule({.op = FsOp::kDelete, .fault = Fault::kAccess});
  EXPECT_EQ(ErrnoFromStatus(store::RemoveEmptyDirectory(*fs_, Path("empty"))), EACCES);
  EXPECT_TRUE(std::filesystem::exists(Path("empty")));
  ASSERT_OK(store::RemoveEmptyDirectory(*fs_, Path("empty")));
  EXPECT_FALSE(std::filesystem::exists(Path("empty")));
}

}  // namespace
}  // namespace quiver::testing
