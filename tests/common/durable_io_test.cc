#include "quiver/common/durable_io.h"

#include <cerrno>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <arrow/util/io_util.h>

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver {
namespace {

TEST(DurableIoTest, WritesEveryByteAndSyncs) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/f";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  const std::string contents(3 * 1024 * 1024 + 7, 'q');
  ASSERT_OK(WriteAll(fd, contents, path));
  ASSERT_OK(SyncDescriptor(fd, path));
  ASSERT_EQ(::close(fd), 0);
  ASSERT_OK(SyncFile(path));
  ASSERT_OK(SyncParentDirectory(path));
  ASSERT_OK(SyncDirectory(dir.path()));
  std::ifstream in(path, std::ios::binary);
  std::stringstream read;
  read << in.rdbuf();
  EXPECT_EQ(read.str(), contents);
}

// The errno survives (a full disk stays recognisable) and the message names step and
// path.
TEST(DurableIoTest, ErrorsKeepTheErrnoAndNameTheStep) {
  testing::TempDir dir;
  const std::string missing = dir.path() + "/missing";
  auto st = SyncFile(missing);
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_EQ(arrow::internal::ErrnoFromStatus(st), ENOENT);
  EXPECT_NE(st.message().find("cannot open '" + missing + "'"), std::string::npos);

  st = SyncParentDirectory(missing + "/f");
  EXPECT_EQ(arrow::internal::ErrnoFromStatus(st), ENOENT) << st.ToString();
  EXPECT_NE(st.message().find("cannot open directory"), std::string::npos);

  int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  st = WriteAll(fd, "x", "the-dir");  // a directory cannot be written
  ::close(fd);
  EXPECT_EQ(arrow::internal::ErrnoFromStatus(st), EBADF) << st.ToString();
  EXPECT_NE(st.message().find("cannot write 'the-dir'"), std::string::npos);
}

}  // namespace
}  // namespace quiver
