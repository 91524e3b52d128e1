#include "quiver/store/fs/exclusive_create.h"

#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/filesystem/localfs.h>
#include <arrow/filesystem/mockfs.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/fs/exclusive_creator_factory.h"

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(LocalExclusiveCreatorTest, CreatesOnceThenAlreadyExists) {
  testing::TempDir dir;
  auto creator = MakeLocalExclusiveCreator();
  fs::create_directories(dir.path() + "/ds/.manifests");
  const std::string path = dir.path() + "/ds/.manifests/1.json";
  ASSERT_OK(creator->CreateExclusive(path, "first"));
  EXPECT_EQ(ReadFile(path), "first");

  const auto again = creator->CreateExclusive(path, "second");
  EXPECT_TRUE(again.IsAlreadyExists()) << again.ToString();
  EXPECT_EQ(ReadFile(path), "first");
  // Messages never contain the server's directories.
  EXPECT_EQ(again.message().find(dir.path()), std::string::npos) << again.message();
  // No temporary file left behind either way.
  EXPECT_EQ(Entries(dir.path() + "/ds/.manifests"), std::vector<std::string>{"1.json"});
}

TEST(LocalExclusiveCreatorTest, EmptyAndBinaryContents) {
  testing::TempDir dir;
  auto creator = MakeLocalExclusiveCreator();
  ASSERT_OK(creator->CreateExclusive(dir.path() + "/empty", ""));
  EXPECT_EQ(fs::file_size(dir.path() + "/empty"), 0u);
  const std::string binary("a\0b\xff", 4);
  ASSERT_OK(creator->CreateExclusive(dir.path() + "/binary", binary));
  EXPECT_EQ(ReadFile(dir.path() + "/binary"), binary);
}

TEST(LocalExclusiveCreatorTest, AnExistingDirectoryIsAlreadyExists) {
  testing::TempDir dir;
  fs::create_directory(dir.path() + "/taken");
  auto st = MakeLocalExclusiveCreator()->CreateExclusive(dir.path() + "/taken", "x");
  EXPECT_TRUE(st.IsAlreadyExists()) << st.ToString();
}

TEST(LocalExclusiveCreatorTest, PathUnderAFileIsIOError) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/file") << "x";
  auto st = MakeLocalExclusiveCreator()->CreateExclusive(dir.path() + "/file/v1", "x");
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
}

// Many rounds of two threads racing for the same new name: exactly one wins each,
// and the file holds the winner's contents, whole.
TEST(LocalExclusiveCreatorTest, TwoThreadsRacingExactlyOneWins) {
  testing::TempDir dir;
  auto creator = MakeLocalExclusiveCreator();
  const std::string payload_a(64 << 10, 'a');
  const std::string payload_b(64 << 10, 'b');
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = dir.path() + "/v" + std::to_string(round);
    std::latch start(2);
    arrow::Status results[2];
    auto racer = [&](int i, const std::string& payload) {
      start.arrive_and_wait();
      results[i] = creator->CreateExclusive(path, payload);
    };
    std::thread a(racer, 0, std::cref(payload_a));
    std::thread b(racer, 1, std::cref(payload_b));
    a.join();
    b.join();
    const int wins = results[0].ok() + results[1].ok();
    ASSERT_EQ(wins, 1) << "round " << round << ": " << results[0].ToString() << " / "
                       << results[1].ToString();
    const auto& loser = results[0].ok() ? results[1] : results[0];
    ASSERT_TRUE(loser.IsAlreadyExists()) << loser.ToString();
    ASSERT_EQ(ReadFile(path), results[0].ok() ? payload_a : payload_b);
  }
  EXPECT_EQ(Entries(dir.path()).size(), size_t{kRounds});  // no temporary files left
}

TEST(MakeExclusiveCreatorTest, LocalFileSystem) {
  testing::TempDir dir;
  arrow::fs::LocalFileSystem local;
  auto creator = MakeExclusiveCreator(local);
  ASSERT_OK(creator.status());
  ASSERT_OK((*creator)->CreateExclusive(dir.path() + "/m", "x"));
  EXPECT_TRUE((*creator)->CreateExclusive(dir.path() + "/m", "y").IsAlreadyExists());
}

TEST(MakeExclusiveCreatorTest, SubTreePrependsItsBasePath) {
  testing::TempDir dir;
  arrow::fs::SubTreeFileSystem subtree(dir.path() + "/root",
                                       std::make_shared<arrow::fs::LocalFileSystem>());
  auto creator = MakeExclusiveCreator(subtree);
  ASSERT_OK(creator.status());
  fs::create_directories(dir.path() + "/root/a");
  ASSERT_OK((*creator)->CreateExclusive("a/1.json", "x"));
  EXPECT_EQ(ReadFile(dir.path() + "/root/a/1.json"), "x");
  EXPECT_TRUE((*creator)->CreateExclusive("/a/1.json", "y").IsAlreadyExists());
}

TEST(MakeExclusiveCreatorTest, OtherFileSystemsAreNotImplemented) {
  arrow::fs::internal::MockFileSystem mock(arrow::fs::TimePoint{});
  auto creator = MakeExclusiveCreator(mock);
  ASSERT_FALSE(creator.ok());
  EXPECT_TRUE(creator.status().IsNotImplemented()) << creator.status().ToString();
  // Also under a SubTree.
  arrow::fs::SubTreeFileSystem subtree(
      "x", std::make_shared<arrow::fs::internal::MockFileSystem>(arrow::fs::TimePoint{}));
  EXPECT_TRUE(MakeExclusiveCreator(subtree).status().IsNotImplemented());
}

// What a store that ignores If-None-Match does: a plain overwriting PUT.
class OverwritingCreator final : public ExclusiveCreator {
 public:
  arrow::Status CreateExclusive(const std::string& path,
                                std::string_view contents) override {
    ARROW_ASSIGN_OR_RAISE(auto out, fs_.OpenOutputStream(path));
    ARROW_RETURN_NOT_OK(
        out->Write(contents.data(), static_cast<int64_t>(contents.size())));
    return out->Close();
  }

 private:
  arrow::fs::LocalFileSystem fs_;
};

TEST(CheckExclusiveCreateTest, PassesOnARealExclusiveCreator) {
  testing::TempDir dir;
  ASSERT_OK(CheckExclusiveCreate(*MakeLocalExclusiveCreator(), dir.path() + "/probe"));
}

TEST(CheckExclusiveCreateTest, CatchesAStoreThatIgnoresTheCondition) {
  testing::TempDir dir;
  OverwritingCreator creator;
  auto st = CheckExclusiveCreate(creator, dir.path() + "/probe");
  EXPECT_TRUE(st.IsNotImplemented()) << st.ToString();
  EXPECT_NE(st.message().find("If-None-Match"), std::string::npos);
}

TEST(CheckExclusiveCreateTest, ReportsTheFirstCreatesError) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/file") << "x";
  auto st =
      CheckExclusiveCreate(*MakeLocalExclusiveCreator(), dir.path() + "/file/probe");
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
}

}  // namespace
}  // namespace quiver::store
