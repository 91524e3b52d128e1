// The S3 ExclusiveCreator (SigV4 PUT with If-None-Match: *) against a real server.
#include <cstdlib>
#include <fstream>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/buffer.h>
#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/fs/exclusive_creator_factory.h"
#include "quiver/store/fs/s3_exclusive_creator_internal.h"

#include "testing/assert.h"
#include "testing/s3_test_server.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

using testing::S3TestServer;

class S3ExclusiveCreatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = S3TestServer::Start();
    if (testing::IsS3ToolchainMissing(server.status())) {
      skip_reason_ = new std::string(server.status().message());
      return;
    }
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (skip_reason_ != nullptr) GTEST_SKIP() << *skip_reason_;
    ASSERT_NE(server_, nullptr);
  }

  static S3ExclusiveCreatorOptions Options() {
    S3ExclusiveCreatorOptions options = S3ExclusiveCreatorOptions::Defaults();
    options.endpoint.endpoint_override = server_->endpoint();
    options.endpoint.scheme = "http";
    options.endpoint.region = server_->region();
    options.credentials = [] {
      return arrow::Result<S3Credentials>(
          S3Credentials{server_->access_key(), server_->secret_key(), ""});
    };
    return options;
  }

  static std::shared_ptr<ExclusiveCreator> Creator() {
    return *MakeS3ExclusiveCreator(Options());
  }

  static std::string Read(const std::string& path) {
    auto fs = server_->FileSystem();
    if (!fs.ok()) return "<" + fs.status().ToString() + ">";
    auto file = (*fs)->OpenInputFile(path);
    if (!file.ok()) return "<" + file.status().ToString() + ">";
    auto size = (*file)->GetSize();
    auto buffer = (*file)->ReadAt(0, *size);
    return buffer.ok() ? (*buffer)->ToString() : "<" + buffer.status().ToString() + ">";
  }

  std::string Path(const std::string& key) const { return server_->bucket() + "/" + key; }

  static S3TestServer* server_;
  static std::string* skip_reason_;
};

S3TestServer* S3ExclusiveCreatorTest::server_ = nullptr;
std::string* S3ExclusiveCreatorTest::skip_reason_ = nullptr;

TEST_F(S3ExclusiveCreatorTest, CreatedThenPreconditionFailed) {
  auto creator = Creator();
  const std::string path = Path("once/.manifests/00000000000000000001.json");
  ASSERT_OK(creator->CreateExclusive(path, "first manifest"));
  EXPECT_EQ(Read(path), "first manifest");

  const auto again = creator->CreateExclusive(path, "second manifest");
  EXPECT_TRUE(again.IsAlreadyExists()) << again.ToString();
  EXPECT_NE(again.message().find("412"), std::string::npos) << again.message();
  EXPECT_EQ(Read(path), "first manifest");
}

TEST_F(S3ExclusiveCreatorTest, TheServerEnforcesTheCondition) {
  ASSERT_OK(CheckExclusiveCreate(*Creator(), Path("probe/check-1")));
}

TEST_F(S3ExclusiveCreatorTest, KeysThatNeedEncodingAndEmptyContents) {
  auto creator = Creator();
  const std::string path = Path("odd keys/a+b=c&d/caf\xc3\xa9/v 1");
  ASSERT_OK(creator->CreateExclusive(path, ""));
  EXPECT_EQ(Read(path), "");
  EXPECT_TRUE(creator->CreateExclusive(path, "x").IsAlreadyExists());
  const std::string binary("\0\x01\xff manifest", 12);
  ASSERT_OK(creator->CreateExclusive(Path("binary"), binary));
  EXPECT_EQ(Read(Path("binary")), binary);
}

// 8 threads race for each of 20 keys: exactly one wins each key, and the object holds
// the winner's contents.
TEST_F(S3ExclusiveCreatorTest, EightThreadsRacingExactlyOneWins) {
  auto creator = Creator();
  constexpr int kThreads = 8;
  for (int round = 0; round < 20; ++round) {
    const std::string path = Path("race/v" + std::to_string(round));
    std::latch start(kThreads);
    std::vector<arrow::Status> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = creator->CreateExclusive(path, "writer " + std::to_string(i));
      });
    }
    for (auto& t : threads) t.join();
    int winner = -1;
    for (int i = 0; i < kThreads; ++i) {
      if (results[i].ok()) {
        ASSERT_EQ(winner, -1) << "two winners in round " << round;
        winner = i;
      } else {
        ASSERT_TRUE(results[i].IsAlreadyExists()) << results[i].ToString();
      }
    }
    ASSERT_NE(winner, -1) << "no winner in round " << round;
    EXPECT_EQ(Read(path), "writer " + std::to_string(winner));
  }
}

TEST_F(S3ExclusiveCreatorTest, WrongSecretIsAClearErrorWithoutTheSecret) {
  auto options = Options();
  options.credentials = [] {
    return arrow::Result<S3Credentials>(
        S3Credentials{server_->access_key(), "not-the-secret-0123456789", ""});
  };
  auto st = (*MakeS3ExclusiveCreator(options))->CreateExclusive(Path("denied"), "x");
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("refused the credentials"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("403"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find("not-the-secret"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find(server_->secret_key()), std::string::npos);
}

TEST_F(S3ExclusiveCreatorTest, UnknownAccessKeyIsAClearError) {
  auto options = Options();
  options.credentials = [] {
    return arrow::Result<S3Credentials>(S3Credentials{"QVNOSUCHKEY000000000", "x", ""});
  };
  auto st = (*MakeS3ExclusiveCreator(options))->CreateExclusive(Path("denied"), "x");
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("refused the credentials"), std::string::npos)
      << st.message();
}

TEST_F(S3ExclusiveCreatorTest, MissingBucketIsAClearError) {
  auto st = Creator()->CreateExclusive("no-such-bucket/v1", "x");
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("bucket 'no-such-bucket' does not exist"),
            std::string::npos)
      << st.message();
}

TEST_F(S3ExclusiveCreatorTest, UnreachableEndpointIsIOError) {
  auto options = Options();
  options.endpoint.endpoint_override = "127.0.0.1:1";  // nothing listens on port 1
  options.max_attempts = 2;
  options.retry_backoff_ms = 1;
  auto st = (*MakeS3ExclusiveCreator(options))->CreateExclusive(Path("v1"), "x");
  ASSERT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("cannot reach"), std::string::npos) << st.message();
  // Connection refused: the request never left, so no "may have been created".
  EXPECT_EQ(st.message().find("may have been created"), std::string::npos)
      << st.message();
}

// The lead's entry point: the creator made from the file system itself, here from a
// URI with credentials taken by Arrow from the environment, under a SubTree prefix.
TEST_F(S3ExclusiveCreatorTest, FromFileSystemUriAndEnvironment) {
  server_->SetCredentialsEnv();
  std::string root;
  auto fs = arrow::fs::FileSystemFromUri(server_->Uri("prefix"), &root);
  ASSERT_OK(fs.status());
  auto creator = MakeExclusiveCreator(**fs);
  ASSERT_OK(creator.status());
  ASSERT_OK((*creator)->CreateExclusive(root + "/ds/.manifests/00000000000000000001.json",
                                        "m1"));
  EXPECT_TRUE(
      (*creator)
          ->CreateExclusive(root + "/ds/.manifests/00000000000000000001.json", "m2")
          .IsAlreadyExists());
  EXPECT_EQ(Read(Path("prefix/ds/.manifests/00000000000000000001.json")), "m1");

  arrow::fs::SubTreeFileSystem subtree(root, *fs);
  auto sub_creator = MakeExclusiveCreator(subtree);
  ASSERT_OK(sub_creator.status());
  EXPECT_TRUE((*sub_creator)
                  ->CreateExclusive("ds/.manifests/00000000000000000001.json", "m3")
                  .IsAlreadyExists());
  ASSERT_OK(
      (*sub_creator)->CreateExclusive("ds/.manifests/00000000000000000002.json", "m2"));
  EXPECT_EQ(Read(Path("prefix/ds/.manifests/00000000000000000002.json")), "m2");
}

// Credentials from a shared credentials file and AWS_PROFILE (no keys in the
// environment), as Arrow's default chain reads them.
TEST_F(S3ExclusiveCreatorTest, FromProfileInSharedCredentialsFile) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/credentials";
  std::ofstream(file) << "[default]\naws_access_key_id = WRONGWRONGWRONG00000\n"
                      << "aws_secret_access_key = wrong\n\n[quiver-test]\n"
                      << "aws_access_key_id = " << server_->access_key() << "\n"
                      << "aws_secret_access_key = " << server_->secret_key() << "\n";
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", file.c_str(), 1);
  ::setenv("AWS_PROFILE", "quiver-test", 1);
  ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  std::string root;
  auto fs = arrow::fs::FileSystemFromUri(server_->Uri(), &root);
  ::unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  ::unsetenv("AWS_PROFILE");
  ASSERT_OK(fs.status());
  auto creator = MakeExclusiveCreator(**fs);
  ASSERT_OK(creator.status());
  ASSERT_OK((*creator)->CreateExclusive(root + "/profile/v1", "p"));
  EXPECT_TRUE((*creator)->CreateExclusive(root + "/profile/v1", "p").IsAlreadyExists());
}

}  // namespace
}  // namespace quiver::store
