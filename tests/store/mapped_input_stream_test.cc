#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include <arrow/buffer.h>

#include "quiver/store/cache/mapped_input_stream_internal.h"

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

class MappedInputStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 random(7);
    content_.resize(3 * 1024 * 1024 + 123);
    for (auto& c : content_) c = static_cast<char>(random());
    std::ofstream(path_, std::ios::binary).write(content_.data(), content_.size());
  }

  testing::TempDir dir_;
  std::string path_ = dir_.path() + "/data";
  std::string content_;
};

TEST_F(MappedInputStreamTest, SmallAndLargeReadsReturnTheFileInOrder) {
  ASSERT_OK_AND_ASSIGN(auto stream, OpenMappedInputStream(path_));
  std::string read;
  // Reads below and above the mapping threshold, at offsets that are not page-aligned.
  for (int64_t n : {100, 300 * 1024, 7, 1024 * 1024, 4096, 2 * 1024 * 1024}) {
    ASSERT_OK_AND_ASSIGN(auto buffer, stream->Read(n));
    read += buffer->ToString();
  }
  EXPECT_EQ(read.size(), content_.size());  // the last read was short: the end
  EXPECT_EQ(read, content_);
  ASSERT_OK_AND_ASSIGN(auto end, stream->Read(1 << 20));
  EXPECT_EQ(end->size(), 0);
  ASSERT_OK_AND_ASSIGN(int64_t position, stream->Tell());
  EXPECT_EQ(position, static_cast<int64_t>(content_.size()));
}

TEST_F(MappedInputStreamTest, BuffersOutliveTheStream) {
  std::shared_ptr<arrow::Buffer> kept;
  {
    ASSERT_OK_AND_ASSIGN(auto stream, OpenMappedInputStream(path_));
    ASSERT_OK_AND_ASSIGN(auto skipped, stream->Read(5));
    ASSERT_OK_AND_ASSIGN(kept, stream->Read(1024 * 1024));
    ASSERT_OK(stream->Close());
    EXPECT_TRUE(stream->closed());
    EXPECT_FALSE(stream->Read(10).ok());
  }
  EXPECT_EQ(kept->ToString(), content_.substr(5, 1024 * 1024));
}

TEST_F(MappedInputStreamTest, CopyingReadsAndAMissingFile) {
  ASSERT_OK_AND_ASSIGN(auto stream, OpenMappedInputStream(path_));
  std::string out(1000, '\0');
  ASSERT_OK_AND_ASSIGN(int64_t n, stream->Read(1000, out.data()));
  EXPECT_EQ(n, 1000);
  EXPECT_EQ(out, content_.substr(0, 1000));
  auto missing = OpenMappedInputStream(dir_.path() + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsIOError());
}

}  // namespace
}  // namespace quiver::store
