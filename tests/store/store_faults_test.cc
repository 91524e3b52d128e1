// Every store operation under every injected I/O fault, through the store's public API
// only (Make, List, Get, OpenReader, BeginUpload/Write/Commit, Drop).
//
// For each operation, a fault-free run first records which kinds of file-system call
// it makes; then each of those kinds is faulted (on its first call, and on its last
// when it makes several) with each fault: ENOSPC, EIO, EACCES, short reads, stalls.
// Whatever the fault, the operation must end either well (with its normal result) or
// with a clear error: an IOError naming no server path. The previous state must stay
// whole and readable, nothing partial may be visible (also after a restart, which
// must leave no temporary file), and the store must go on serving.

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <arrow/filesystem/localfs.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/model/storage_error.h"

#include "testing/assert.h"
#include "testing/data.h"
#include "testing/fault_injecting_filesystem.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;
using testing::Fault;
using testing::FaultInjectingFileSystem;
using testing::FsOp;
using testing::IntBatch;

DatasetName Name(const char* text) { return *DatasetName::Parse(text); }

std::shared_ptr<arrow::Table> Rows(int64_t batches, int64_t rows, int64_t start) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> list;
  for (int64_t i = 0; i < batches; ++i) list.push_back(IntBatch(rows, start + i * rows));
  return arrow::Table::FromRecordBatches(list).ValueOrDie();
}

// The state before every faulted operation.
const auto kBaseline = Rows(2, 3000, 0);  // "ds"
const auto kOther = Rows(1, 50, 7);       // "other/x"
const auto kNew = Rows(3, 3000, 100000);  // uploaded by the upload operations

enum class Operation { kUploadOverwrite, kUploadNew, kDrop, kRead, kLoad };

const char* OperationName(Operation operation) {
  switch (operation) {
    case Operation::kUploadOverwrite:
      return "upload-overwrite";
    case Operation::kUploadNew:
      return "upload-new";
    case Operation::kDrop:
      return "drop";
    case Operation::kRead:
      return "read";
    case Operation::kLoad:
      return "load";
  }
  return "?";
}

/// Temporary names of the store's layouts: uploads of the one-file layout
/// (".quiver-tmp-"), manifests being written (".tmp-"), migrations (".quiver-migrate-").
bool IsTemporary(const std::string& path) {
  return path.find(".quiver-tmp") != std::string::npos ||
         path.find("/.tmp-") != std::string::npos || path.starts_with(".tmp-") ||
         path.find(".quiver-migrate") != std::string::npos;
}

std::vector<std::string> FilesUnder(const std::string& root) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

arrow::Result<std::shared_ptr<arrow::Table>> ReadAll(const DatasetStore& store,
                                                     const char* name) {
  ARROW_ASSIGN_OR_RAISE(auto reader, store.OpenReader(Name(name)));
  ARROW_ASSIGN_OR_RAISE(auto table, reader->ToTable());
  return table->CombineChunks();
}

arrow::Status Upload(DatasetStore& store, const char* name, const arrow::Table& table) {
  ARROW_ASSIGN_OR_RAISE(auto upload, store.BeginUpload(Name(name), table.schema()));
  arrow::TableBatchReader reader(table);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) break;
    ARROW_RETURN_NOT_OK(upload->Write(batch));
  }
  return upload->Commit().status();
}

bool SameRows(const std::shared_ptr<arrow::Table>& a,
              const std::shared_ptr<arrow::Table>& b) {
  return a->CombineChunks().ValueOrDie()->Equals(*b->CombineChunks().ValueOrDie());
}

/// One store in a fresh directory behind a fault-injecting file system, holding the
/// baseline datasets.
class Fixture {
 public:
  Fixture() {
    auto local = MakeLocalStoreOptions(dir_.path()).ValueOrDie();
    fs_ = std::make_shared<FaultInjectingFileSystem>(local.filesystem, /*seed=*/1);
    options_ = local;
    options_.filesystem = fs_;
    // Small row groups: an upload writes while it streams, not only when it closes.
    options_.write.row_group_target_bytes = 16 << 10;
    options_.read.batch_size = 1000;
    // No background GC or compaction: each case counts and faults its own calls.
    options_.maintenance.background = false;
  }

  arrow::Status Setup() {
    ARROW_ASSIGN_OR_RAISE(store_, DatasetStore::Make(options_));
    ARROW_RETURN_NOT_OK(Upload(*store_, "ds", *kBaseline));
    ARROW_RETURN_NOT_OK(Upload(*store_, "other/x", *kOther));
    // A leftover of an interrupted upload, for the catalog load to remove.
    fs::create_directories(dir_.path() + "/other");
    std::ofstream(dir_.path() + "/other/.quiver-tmp-leftover") << "partial";
    return arrow::Status::OK();
  }

  /// Run the operation; for kLoad the freshly loaded store replaces the current one.
  arrow::Status Run(Operation operation) {
    switch (operation) {
      case Operation::kUploadOverwrite:
        return Upload(*store_, "ds", *kNew);
      case Operation::kUploadNew:
        return Upload(*store_, "fresh/one", *kNew);
      case Operation::kDrop:
        return store_->Drop(Name("ds"));
      case Operation::kRead: {
        ARROW_ASSIGN_OR_RAISE(auto reader, store_->OpenReader(Name("ds")));
        std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
        while (true) {
          std::shared_ptr<arrow::RecordBatch> batch;
          auto st = reader->ReadNext(&batch);
          if (!st.ok()) {
            failed_while_streaming_ = !batches.empty();
            return st;
          }
          if (!batch) break;
          batches.push_back(std::move(batch));
        }
        ARROW_ASSIGN_OR_RAISE(auto table,
                              arrow::Table::FromRecordBatches(reader->schema(), batches));
        if (!SameRows(table, kBaseline)) return arrow::Status::Invalid("read wrong rows");
        return arrow::Status::OK();
      }
      case Operation::kLoad: {
        ARROW_ASSIGN_OR_RAISE(auto store, DatasetStore::Make(options_));
        store_ = store;
        return arrow::Status::OK();
      }
    }
    return arrow::Status::OK();
  }

  std::array<int64_t, testing::kFsOpCount> Calls() const {
    std::array<int64_t, testing::kFsOpCount> out{};
    for (int i = 0; i < testing::kFsOpCount; ++i) out[i] = fs_->calls(FsOp(i));
    return out;
  }

  testing::TempDir dir_;
  std::shared_ptr<FaultInjectingFileSystem> fs_;
  StoreOptions options_;
  std::shared_ptr<DatasetStore> store_;
  /// kRead failed after the reader had returned data.
  bool failed_while_streaming_ = false;
};

/// The kinds of call an operation makes, and how many of each, without faults.
std::map<FsOp, int64_t> CallsOf(Operation operation) {
  Fixture fixture;
  EXPECT_TRUE(fixture.Setup().ok());
  auto before = fixture.Calls();
  EXPECT_TRUE(fixture.Run(operation).ok()) << OperationName(operation);
  auto after = fixture.Calls();
  std::map<FsOp, int64_t> out;
  for (int i = 0; i < testing::kFsOpCount; ++i) {
    if (after[i] > before[i]) out[FsOp(i)] = after[i] - before[i];
  }
  return out;
}

struct Expected {
  std::set<std::string> names;          // datasets listed
  std::shared_ptr<arrow::Table> ds;     // content of "ds", if listed
  std::shared_ptr<arrow::Table> fresh;  // content of "fresh/one", if listed
};

Expected Before() { return {{"ds", "other/x"}, kBaseline, nullptr}; }

Expected After(Operation operation) {
  switch (operation) {
    case Operation::kUploadOverwrite:
      return {{"ds", "other/x"}, kNew, nullptr};
    case Operation::kUploadNew:
      return {{"ds", "fresh/one", "other/x"}, kBaseline, kNew};
    case Operation::kDrop:
      return {{"other/x"}, nullptr, nullptr};
    default:
      return Before();
  }
}

/// Check that `store` holds exactly `expected`, whole.
void ExpectState(const DatasetStore& store, const Expected& expected) {
  std::set<std::string> names;
  for (const auto& info : store.List()) names.insert(info.name.ToString());
  EXPECT_EQ(names, expected.names);
  auto check = [&](const char* name, const std::shared_ptr<arrow::Table>& want) {
    if (!want) {
      EXPECT_TRUE(store.Get(Name(name)).status().IsKeyError()) << name;
      return;
    }
    auto info = store.Get(Name(name));
    ASSERT_TRUE(info.ok()) << name << ": " << info.status().ToString();
    EXPECT_EQ(info->num_rows, want->num_rows()) << name;
    auto table = ReadAll(store, name);
    ASSERT_TRUE(table.ok()) << name << ": " << table.status().ToString();
    EXPECT_TRUE(SameRows(*table, want)) << name;
  };
  check("ds", expected.ds);
  check("fresh/one", expected.fresh);
  check("other/x", kOther);
}

struct Case {
  Operation operation;
  Fault fault;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << OperationName(c.operation) << " under " << testing::FaultName(c.fault);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::string(OperationName(info.param.operation)) + "_" +
                     testing::FaultName(info.param.fault);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class StoreFaultsTest : public ::testing::TestWithParam<Case> {};

TEST_P(StoreFaultsTest, EndsCleanlyAndLosesNothing) {
  const Operation operation = GetParam().operation;
  const Fault fault = GetParam().fault;
  const bool errno_fault =
      fault == Fault::kNoSpace || fault == Fault::kIoError || fault == Fault::kAccess;
  int injected = 0, failed = 0;

  const auto calls = CallsOf(operation);
  std::string kinds;
  for (const auto& [op, count] : calls) {
    kinds += std::string(kinds.empty() ? "" : " ") + testing::FsOpName(op) + "x" +
             std::to_string(count);
  }
  RecordProperty("calls", kinds);
  for (const auto& [op, count] : calls) {
    if (fault == Fault::kShortRead && op != FsOp::kRead) continue;
    std::vector<int64_t> nths = {1};
    if (count > 1) nths.push_back(count);
    for (int64_t nth : nths) {
      SCOPED_TRACE(std::string(testing::FsOpName(op)) + " call #" + std::to_string(nth) +
                   " of " + std::to_string(count));
      Fixture fixture;
      ASSERT_OK(fixture.Setup());
      fixture.fs_->AddRule({.op = op,
                            .fault = fault,
                            .nth = nth,
                            .times = -1,
                            .stall = std::chrono::milliseconds(20)});
      arrow::Status status = fixture.Run(operation);
      fixture.fs_->ClearRules();
      ASSERT_GT(fixture.fs_->faults(op), 0) << "the fault was not reached";
      ++injected;

      if (fault == Fault::kStall) {
        EXPECT_TRUE(status.ok()) << "a slow disk is no error: " << status.ToString();
      }
      if (operation == Operation::kLoad && fault != Fault::kStall &&
          (op == FsOp::kOpenRead || op == FsOp::kRead)) {
        // A dataset that could not be read is never taken for absent: the load fails
        // (the fault may be transient) rather than hide it.
        EXPECT_FALSE(status.ok()) << "load survived a failed " << static_cast<int>(op);
      }
      if (status.ok()) {
        ExpectState(*fixture.store_, After(operation));
      } else {
        ++failed;
        const std::string text = status.ToString();
        EXPECT_TRUE(status.IsIOError()) << text;
        if (operation != Operation::kLoad) {
          // Errors reach clients without server paths (a failed load is the
          // operator's, at start-up, and may name the root).
          EXPECT_EQ(text.find(fixture.dir_.path()), std::string::npos) << text;
          EXPECT_EQ(text.find(".quiver-tmp"), std::string::npos) << text;
        }
        if (fault == Fault::kNoSpace && !fixture.failed_while_streaming_) {
          EXPECT_TRUE(IsStorageFull(status)) << text;
        }
        if (errno_fault || fault == Fault::kShortRead) {
          // The operation failed: the store still holds the state before it (a failed
          // load has no store; the previous one stands in for the restarted process).
          ExpectState(*fixture.store_, Before());
        }
      }

      // It keeps serving: a new dataset can be written, read and dropped.
      ASSERT_OK(Upload(*fixture.store_, "probe", *kOther));
      auto probe = ReadAll(*fixture.store_, "probe");
      ASSERT_OK(probe.status());
      EXPECT_TRUE(SameRows(*probe, kOther));
      ASSERT_OK(fixture.store_->Drop(Name("probe")));

      // Nothing partial is visible after a restart, and no temporary file is left.
      ASSERT_OK_AND_ASSIGN(auto restarted, DatasetStore::Make(fixture.options_));
      ExpectState(*restarted, status.ok() ? After(operation) : Before());
      for (const auto& file : FilesUnder(fixture.dir_.path())) {
        EXPECT_FALSE(IsTemporary(file)) << file;
      }
    }
  }
  EXPECT_GT(injected, 0);
  if (errno_fault) {
    EXPECT_GT(failed, 0) << "no injected error reached the caller";
  }
  RecordProperty("faults_injected", injected);
  RecordProperty("operations_failed", failed);
}

std::vector<Case> AllCases() {
  std::vector<Case> out;
  for (auto operation : {Operation::kUploadOverwrite, Operation::kUploadNew,
                         Operation::kDrop, Operation::kRead, Operation::kLoad}) {
    for (auto fault : {Fault::kNoSpace, Fault::kIoError, Fault::kAccess,
                       Fault::kShortRead, Fault::kStall}) {
      // Uploads and drops read nothing: short reads do not apply to them.
      bool reads = operation == Operation::kRead || operation == Operation::kLoad;
      if (fault == Fault::kShortRead && !reads) continue;
      out.push_back({operation, fault});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllOperations, StoreFaultsTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

// A failed upload whose clean-up also fails leaves a file behind: it is never
// visible, and the next start removes it.
TEST(StoreFaultsCleanupTest, FailedUploadWithFailedCleanupIsRemovedAtRestart) {
  Fixture fixture;
  ASSERT_OK(fixture.Setup());
  auto before = FilesUnder(fixture.dir_.path());
  fixture.fs_->AddRule(
      {.op = FsOp::kWrite, .fault = Fault::kNoSpace, .nth = 2, .times = -1});
  fixture.fs_->AddRule({.op = FsOp::kDelete, .fault = Fault::kIoError, .times = -1});
  EXPECT_FALSE(Upload(*fixture.store_, "ds", *kNew).ok());
  fixture.fs_->ClearRules();
  auto after = FilesUnder(fixture.dir_.path());
  std::vector<std::string> left;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(left));
  EXPECT_FALSE(left.empty()) << "the injected delete fault should have left a file";
  ExpectState(*fixture.store_, Before());

  // Restarted behind the wrapper: the leftover is removed (a wrapped local file
  // system is still local).
  ASSERT_OK_AND_ASSIGN(auto wrapped, DatasetStore::Make(fixture.options_));
  ExpectState(*wrapped, Before());
  EXPECT_FALSE(std::filesystem::exists(fixture.dir_.path() + "/" + left.front()))
      << left.front();

  // Restarted on the local file system itself: the leftover is removed.
  StoreOptions local = fixture.options_;
  local.filesystem = fixture.fs_->wrapped();
  ASSERT_OK_AND_ASSIGN(auto restarted, DatasetStore::Make(local));
  ExpectState(*restarted, Before());
  for (const auto& file : left) {
    EXPECT_FALSE(std::filesystem::exists(fixture.dir_.path() + "/" + file)) << file;
  }
}

// Orphans are looked for only when every manifest could be read: a part that only an
// unreadable older version references is never taken for an orphan.
TEST(StoreFaultsCleanupTest, UnreadableOldManifestKeepsEveryPart) {
  Fixture fixture;
  ASSERT_OK(fixture.Setup());
  ASSERT_OK(Upload(*fixture.store_, "ds", *kNew));  // version 2; version 1's part stays
  const std::string parts = fixture.dir_.path() + "/ds/.parts";
  const std::string orphan = parts + "/0000000000000000-1.parquet";
  { std::ofstream(orphan) << "left by a crashed upload"; }
  auto before = FilesUnder(parts);
  ASSERT_EQ(before.size(), 3u);

  fixture.fs_->AddRule({.op = FsOp::kOpenRead,
                        .fault = Fault::kIoError,
                        .times = -1,
                        .path_contains = "ds/.manifests/00000000000000000001.json"});
  ASSERT_OK_AND_ASSIGN(auto faulted, DatasetStore::Make(fixture.options_));
  EXPECT_GT(fixture.fs_->faults(FsOp::kOpenRead), 0);
  fixture.fs_->ClearRules();
  EXPECT_EQ(FilesUnder(parts), before) << "a part was deleted while version 1 was unread";
  ASSERT_OK_AND_ASSIGN(auto first, faulted->GetVersion(Name("ds"), 1));
  ASSERT_OK(faulted->OpenReader(first).status());

  ASSERT_OK_AND_ASSIGN(auto restarted, DatasetStore::Make(fixture.options_));
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_EQ(FilesUnder(parts).size(), 2u);
  ExpectState(*restarted, After(Operation::kUploadOverwrite));
}

// Durability is not skipped under a wrapper: a commit fsyncs the new part and its
// directory, and writes its manifest with the local exclusive create (which fsyncs
// too), all through the fault-injecting file system (type_name "fault-injecting").
TEST(StoreFaultsCleanupTest, CommitSyncsThroughTheWrapper) {
  Fixture fixture;
  ASSERT_OK(fixture.Setup());
  int64_t syncs = fixture.fs_->calls(FsOp::kSync);
  int64_t creates = fixture.fs_->calls(FsOp::kCreateExclusive);
  ASSERT_OK(Upload(*fixture.store_, "ds", *kNew));
  EXPECT_GE(fixture.fs_->calls(FsOp::kSync) - syncs, 2) << "part, then its directory";
  EXPECT_EQ(fixture.fs_->calls(FsOp::kCreateExclusive) - creates, 1) << "the manifest";
  creates = fixture.fs_->calls(FsOp::kCreateExclusive);
  ASSERT_OK(fixture.store_->Drop(Name("ds")));
  EXPECT_EQ(fixture.fs_->calls(FsOp::kCreateExclusive) - creates, 1) << "the tombstone";
  // A failed manifest creation fails the commit and leaves the dataset as it was.
  fixture.fs_->AddRule({.op = FsOp::kCreateExclusive, .fault = Fault::kNoSpace});
  auto status = Upload(*fixture.store_, "other/x", *kNew);
  EXPECT_TRUE(IsStorageFull(status)) << status.ToString();
  auto other = ReadAll(*fixture.store_, "other/x");
  ASSERT_OK(other.status());
  EXPECT_TRUE(SameRows(*other, kOther));
}

// Under a random mix of faults (seeded), many uploads, reads and drops of a few
// datasets: every call ends OK or with an IOError, and what the store lists is always
// whole. The seed makes a failure reproducible.
TEST(StoreFaultsCleanupTest, RandomFaultsNeverCorruptWhatIsListed) {
  testing::TempDir dir;
  auto local = MakeLocalStoreOptions(dir.path()).ValueOrDie();
  auto faulty = std::make_shared<FaultInjectingFileSystem>(local.filesystem, 2026);
  StoreOptions options = local;
  options.filesystem = faulty;
  options.write.row_group_target_bytes = 16 << 10;
  options.maintenance.background = false;
  ASSERT_OK_AND_ASSIGN(auto store, DatasetStore::Make(options));
  for (auto op : {FsOp::kWrite, FsOp::kClose, FsOp::kSync, FsOp::kMove, FsOp::kDelete,
                  FsOp::kOpenWrite, FsOp::kStat, FsOp::kCreateDir}) {
    for (auto fault : {Fault::kNoSpace, Fault::kIoError}) {
      faulty->AddRule(
          {.op = op, .fault = fault, .nth = 0, .probability = 0.01, .times = -1});
    }
  }
  std::map<std::string, int64_t> committed;  // name -> first value of its rows
  const char* names[] = {"a", "b", "c/d"};
  int ok = 0, failed = 0;
  for (int i = 0; i < 150; ++i) {
    const char* name = names[i % 3];
    arrow::Status status;
    if (i % 7 == 6) {
      status = store->Drop(Name(name));
      if (status.ok()) committed.erase(name);
      if (status.IsKeyError()) status = arrow::Status::OK();
    } else {
      auto table = Rows(2, 500, i * 1000);
      status = Upload(*store, name, *table);
      if (status.ok()) committed[name] = i * 1000;
    }
    (status.ok() ? ok : failed)++;
    if (!status.ok()) {
      EXPECT_TRUE(status.IsIOError()) << status.ToString();
    }
  }
  faulty->ClearRules();
  EXPECT_GT(faulty->total_faults(), 0);
  EXPECT_GT(ok, 0);
  RecordProperty("calls_ok", ok);
  RecordProperty("calls_failed", failed);
  ASSERT_OK_AND_ASSIGN(auto restarted, DatasetStore::Make(options));
  for (const auto* s : {store.get(), restarted.get()}) {
    std::set<std::string> listed;
    for (const auto& info : s->List()) listed.insert(info.name.ToString());
    std::set<std::string> want;
    for (const auto& [name, first] : committed) want.insert(name);
    EXPECT_EQ(listed, want);
    for (const auto& [name, first] : committed) {
      auto table = ReadAll(*s, name.c_str());
      ASSERT_OK(table.status());
      EXPECT_TRUE(SameRows(*table, Rows(2, 500, first))) << name;
    }
  }
}

}  // namespace
}  // namespace quiver::store
