#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>

#include "testing/temp_dir.h"

namespace quiver::testing {

/// \brief A real S3-compatible server (versitygw, from scripts/s3-server.sh) on a free
/// loopback port, with fresh credentials, one empty bucket and a data directory that
/// is removed with it. Stopped on destruction; if the test process dies, the script's
/// watchdog stops it.
///
/// The server binary is built on first use (minutes, once per machine: the ctest
/// fixture `s3_server_build` does it before the S3 tests). Without a Go toolchain,
/// Start() fails with a status for which IsS3ToolchainMissing() is true: skip then.
///
/// Arrow's S3 must be initialised by the test program (arrow::fs::EnsureS3Initialized)
/// before FileSystem() and finalised at exit.
class S3TestServer {
 public:
  static arrow::Result<std::unique_ptr<S3TestServer>> Start(
      std::string bucket = "quiver-test");
  ~S3TestServer();
  S3TestServer(const S3TestServer&) = delete;
  S3TestServer& operator=(const S3TestServer&) = delete;

  /// "127.0.0.1:PORT"
  const std::string& endpoint() const { return endpoint_; }
  const std::string& access_key() const { return access_key_; }
  const std::string& secret_key() const { return secret_key_; }
  const std::string& region() const { return region_; }
  const std::string& bucket() const { return bucket_; }

  /// \brief "s3://<bucket>/<prefix>?endpoint_override=...&scheme=http&region=..."
  /// (no credentials in it: they come from the environment, see SetCredentialsEnv).
  std::string Uri(std::string_view prefix = "") const;

  /// \brief An Arrow S3FileSystem on this server with this server's keys.
  arrow::Result<std::shared_ptr<arrow::fs::S3FileSystem>> FileSystem() const;

  /// \brief Put this server's keys into AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  /// (and AWS_REGION) so the standard AWS credentials chain finds them. Call before
  /// starting threads.
  void SetCredentialsEnv() const;

 private:
  S3TestServer() = default;

  TempDir dir_;
  std::string endpoint_, access_key_, secret_key_, region_, bucket_;
};

/// \brief The one S3TestServer of this process, started on first use (its keys then
/// go into the environment: SetCredentialsEnv) and stopped at exit. Tests give each
/// store a prefix of its own. \return what Start returned if it failed (every call).
arrow::Result<const S3TestServer*> SharedS3TestServer();

/// \brief True if `status` says the S3 test server cannot be built here (no `go`).
bool IsS3ToolchainMissing(const arrow::Status& status);

}  // namespace quiver::testing

/// Start an S3TestServer into `var` (a std::unique_ptr), or skip the test if the Go
/// toolchain is missing; fail on any other error.
#define QUIVER_START_S3_OR_SKIP(var, ...)                                  \
  auto var##_result = ::quiver::testing::S3TestServer::Start(__VA_ARGS__); \
  if (::quiver::testing::IsS3ToolchainMissing(var##_result.status())) {    \
    GTEST_SKIP() << var##_result.status().message();                       \
  }                                                                        \
  ASSERT_TRUE(var##_result.ok()) << var##_result.status().ToString();      \
  auto var = std::move(var##_result).ValueOrDie()
