#include "quiver/store/model/storage_error.h"

#include <cerrno>

#include <gtest/gtest.h>

#include <arrow/record_batch.h>
#include <arrow/type.h>
#include <arrow/util/io_util.h>

#include "quiver/store/parquet/storage_error_reader.h"

namespace quiver::store {
namespace {

using arrow::internal::IOErrorFromErrno;

TEST(StorageErrorTest, RecognisesAFullStorage) {
  EXPECT_TRUE(IsStorageFull(IOErrorFromErrno(ENOSPC, "write")));
  EXPECT_TRUE(IsStorageFull(IOErrorFromErrno(EDQUOT, "write")));
  EXPECT_FALSE(IsStorageFull(IOErrorFromErrno(EIO, "write")));
  EXPECT_FALSE(IsStorageFull(arrow::Status::IOError("No space left on device")))
      << "decided by the errno, never by the text";
  EXPECT_FALSE(IsStorageFull(arrow::Status::OK()));
  EXPECT_EQ(ErrnoOf(IOErrorFromErrno(EACCES, "open")), EACCES);
  EXPECT_EQ(ErrnoOf(arrow::Status::IOError("no detail")), 0);
}

TEST(StorageErrorTest, FailureKeepsTheErrnoButNotTheCausesText) {
  auto cause = IOErrorFromErrno(ENOSPC, "Cannot write to '/srv/quiver/a/.quiver-tmp-1'");
  auto failure = StorageFailure(cause, "storage failure during write of dataset 'a'");
  EXPECT_TRUE(failure.IsIOError());
  EXPECT_EQ(failure.message(), "storage failure during write of dataset 'a'");
  EXPECT_TRUE(IsStorageFull(failure));
  EXPECT_EQ(failure.ToString().find("/srv"), std::string::npos) << failure.ToString();

  auto plain = StorageFailure(arrow::Status::IOError("at '/srv/x'"), "failed");
  EXPECT_EQ(plain.detail(), nullptr);
  EXPECT_EQ(plain.ToString().find("/srv"), std::string::npos);
}

class FailingReader : public arrow::RecordBatchReader {
 public:
  std::shared_ptr<arrow::Schema> schema() const override {
    return arrow::schema({arrow::field("x", arrow::int64())});
  }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>*) override {
    return IOErrorFromErrno(ENOSPC, "Cannot read '/srv/quiver/a/b'");
  }
};

TEST(StorageErrorTest, ReaderErrorsBecomePathFreeStorageFailures) {
  auto reader = MakeStorageErrorReader(std::make_shared<FailingReader>(),
                                       *DatasetName::Parse("a/b"));
  EXPECT_EQ(reader->schema()->num_fields(), 1);
  std::shared_ptr<arrow::RecordBatch> batch;
  auto status = reader->ReadNext(&batch);
  EXPECT_TRUE(status.IsIOError());
  EXPECT_EQ(status.message(), "storage failure during read of dataset 'a/b'");
  EXPECT_TRUE(IsStorageFull(status));
  EXPECT_EQ(status.ToString().find("/srv"), std::string::npos);
}

}  // namespace
}  // namespace quiver::store
