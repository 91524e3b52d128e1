#include "quiver/store/model/storage_error.h"

#include <cerrno>

#include <gtest/gtest.h>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>
#include <arrow/type.h>
#include <arrow/util/io_util.h>

#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/marked_output_stream.h"
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
  ASSERT_NE(StorageFailureOf(plain), nullptr);
  EXPECT_EQ(StorageFailureOf(plain)->error_number(), 0);
  EXPECT_EQ(plain.ToString().find("/srv"), std::string::npos);
}

TEST(StorageErrorTest, TheDetailTypeTellsStorageFailuresFromOtherErrors) {
  EXPECT_TRUE(IsStorageFailure(StorageFailure(arrow::Status::OK(), "x")));
  // An IOError is not a storage failure by its code: only the mark says so.
  EXPECT_FALSE(IsStorageFailure(arrow::Status::IOError("x")));
  EXPECT_FALSE(IsStorageFailure(IOErrorFromErrno(EIO, "x")));
  EXPECT_FALSE(IsStorageFailure(arrow::Status::OK()));

  auto marked = MarkStorageFailure(IOErrorFromErrno(EDQUOT, "quota"));
  EXPECT_TRUE(marked.IsIOError());
  EXPECT_EQ(marked.message(), "quota");
  EXPECT_TRUE(IsStorageFailure(marked));
  EXPECT_TRUE(IsStorageFull(marked));
  // Marking is idempotent and keeps the code of what it marks.
  EXPECT_TRUE(MarkStorageFailure(marked).Equals(marked));
  EXPECT_TRUE(MarkStorageFailure(arrow::Status::Invalid("v")).IsInvalid());
  EXPECT_TRUE(MarkStorageFailure(arrow::Status::OK()).ok());
}

TEST(StorageErrorTest, UnstorableDataIsTheClientsNeverAStorageFailure) {
  auto name = *DatasetName::Parse("a/b");
  auto unimplemented = UnstorableData(
      arrow::Status::NotImplemented("Writing a dictionary with nulls"), name);
  EXPECT_TRUE(unimplemented.IsNotImplemented()) << unimplemented.ToString();
  EXPECT_FALSE(IsStorageFailure(unimplemented));
  EXPECT_NE(unimplemented.message().find("'a/b'"), std::string::npos);
  EXPECT_NE(unimplemented.message().find("dictionary with nulls"), std::string::npos);
  // Parquet raises its own exceptions as IOError: without the sink's mark, the data's.
  EXPECT_TRUE(UnstorableData(arrow::Status::IOError("bad level"), name).IsInvalid());
  EXPECT_TRUE(UnstorableData(arrow::Status::TypeError("t"), name).IsInvalid());
  EXPECT_TRUE(UnstorableData(arrow::Status::OutOfMemory("m"), name).IsOutOfMemory());
  auto failure = StorageFailure(IOErrorFromErrno(EIO, "x"), "storage failure");
  EXPECT_TRUE(UnstorableData(failure, name).Equals(failure));
}

class FailingStream : public arrow::io::OutputStream {
 public:
  using arrow::io::OutputStream::Write;
  arrow::Status Close() override { return arrow::Status::OK(); }
  bool closed() const override { return false; }
  arrow::Result<int64_t> Tell() const override { return IOErrorFromErrno(EIO, "tell"); }
  arrow::Status Write(const void*, int64_t) override {
    return IOErrorFromErrno(ENOSPC, "Cannot write to '/srv/quiver/a/b'");
  }
};

TEST(StorageErrorTest, AMarkedStreamMarksEveryErrorItReturns) {
  auto stream = MarkStorageFailures(std::make_shared<FailingStream>());
  auto write = stream->Write("x", 1);
  EXPECT_TRUE(write.IsIOError());
  EXPECT_TRUE(IsStorageFailure(write));
  EXPECT_TRUE(IsStorageFull(write));
  EXPECT_TRUE(IsStorageFailure(stream->Write(arrow::Buffer::FromString("x"))));
  EXPECT_TRUE(IsStorageFailure(stream->Tell().status()));
  EXPECT_TRUE(stream->Flush().ok());
  EXPECT_TRUE(stream->Close().ok());
}

TEST(StorageErrorTest, AFailingFilterStaysTheClientsThroughTheReadWrapper) {
  auto failed = FilterFailed(arrow::Status::Invalid("divide by zero"));
  EXPECT_TRUE(failed.IsInvalid());
  EXPECT_TRUE(IsClientError(failed));
  EXPECT_FALSE(IsStorageFailure(failed));
  EXPECT_TRUE(FilterFailed(arrow::Status::NotImplemented("n")).IsNotImplemented());
  EXPECT_TRUE(FilterFailed(arrow::Status::OutOfMemory("m")).IsOutOfMemory());
  EXPECT_FALSE(IsClientError(arrow::Status::Invalid("i")));
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

class FilterFailingReader : public FailingReader {
 public:
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>*) override {
    return FilterFailed(arrow::Status::Invalid("divide by zero"));
  }
};

TEST(StorageErrorTest, ReaderKeepsTheClientsErrors) {
  auto reader = MakeStorageErrorReader(std::make_shared<FilterFailingReader>(),
                                       *DatasetName::Parse("a/b"));
  std::shared_ptr<arrow::RecordBatch> batch;
  auto status = reader->ReadNext(&batch);
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
  EXPECT_FALSE(IsStorageFailure(status));
  EXPECT_NE(status.message().find("divide by zero"), std::string::npos);
}

}  // namespace
}  // namespace quiver::store
