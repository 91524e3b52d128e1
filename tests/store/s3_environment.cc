// Arrow's S3 APIs must be initialised before any S3FileSystem and finalised before
// the program exits (arrow::fs::FinalizeS3), once per process.
#include <gtest/gtest.h>

#include <arrow/filesystem/s3fs.h>

namespace {

class S3Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    arrow::fs::S3GlobalOptions options = arrow::fs::S3GlobalOptions::Defaults();
    options.log_level = arrow::fs::S3LogLevel::Fatal;
    auto st = arrow::fs::InitializeS3(options);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void TearDown() override {
    auto st = arrow::fs::FinalizeS3();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
};

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new S3Environment);

}  // namespace
