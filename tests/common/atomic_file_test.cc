#include "quiver/common/atomic_file.h"

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <arrow/util/io_util.h>

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class AtomicFileTest : public ::testing::Test {
 protected:
  std::string Path(const char* name) const { return dir_.path() + "/" + name; }
  testing::TempDir dir_;
};

TEST_F(AtomicFileTest, CreatesAndReplacesWithExactlyTheMode) {
  mode_t old_umask = ::umask(0);  // would otherwise leave group/other bits on
  ASSERT_OK(WriteFileAtomically(Path("f"), "first", 0600));
  ::umask(old_umask);
  EXPECT_EQ(Slurp(Path("f")), "first");
  EXPECT_EQ(ModeOf(Path("f")), 0600);

  fs::permissions(Path("f"), fs::perms::all);  // a loose file is replaced by a tight one
  ASSERT_OK(WriteFileAtomically(Path("f"), "second", 0600));
  EXPECT_EQ(Slurp(Path("f")), "second");
  EXPECT_EQ(ModeOf(Path("f")), 0600);

  old_umask = ::umask(077);  // and a wider mode is not narrowed by the umask
  ASSERT_OK(WriteFileAtomically(Path("g"), "", 0644));
  ::umask(old_umask);
  EXPECT_EQ(ModeOf(Path("g")), 0644);
  EXPECT_EQ(Entries(dir_.path()), (std::vector<std::string>{"f", "g"}));
}

// A write that fails half-way (here: the file size limit, which holds for root too)
// leaves the old file as it was and no temporary file.
TEST_F(AtomicFileTest, FailedWriteLeavesTheOldFileAndNoTemporary) {
  ASSERT_OK(WriteFileAtomically(Path("f"), "old contents"));
  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = saved;
  limit.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  auto status = WriteFileAtomically(Path("f"), std::string(64 * 1024, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);

  ASSERT_TRUE(status.IsIOError()) << status.ToString();
  EXPECT_EQ(arrow::internal::ErrnoFromStatus(status), EFBIG) << status.ToString();
  EXPECT_NE(status.message().find("cannot write"), std::string::npos);
  EXPECT_EQ(Slurp(Path("f")), "old contents");
  EXPECT_EQ(Entries(dir_.path()), std::vector<std::string>{"f"});
}

TEST_F(AtomicFileTest, FailedRenameLeavesNoTemporary) {
  fs::create_directories(Path("target/inside"));  // rename(file, non-empty dir) fails
  auto status = WriteFileAtomically(Path("target"), "x");
  ASSERT_TRUE(status.IsIOError());
  EXPECT_NE(status.message().find("cannot rename"), std::string::npos);
  EXPECT_EQ(Entries(dir_.path()), std::vector<std::string>{"target"});
  EXPECT_TRUE(fs::is_directory(Path("target/inside")));
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnError) {
  auto status = WriteFileAtomically(Path("no/such/dir/f"), "x");
  EXPECT_EQ(arrow::internal::ErrnoFromStatus(status), ENOENT) << status.ToString();
}

}  // namespace
}  // namespace quiver
