#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <arrow/flight/client.h>
#include <arrow/result.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"

#include "testing/s3_test_server.h"
#include "testing/temp_dir.h"

namespace quiver::testing {

/// \brief Where a TestServer keeps its datasets.
enum class Storage {
  kLocal,  ///< a temporary directory
  kS3,     ///< a prefix of its own on the process's S3 test server (SharedS3TestServer)
};

/// \brief "local" or "s3".
std::string_view StorageName(Storage storage);
/// \brief How GoogleTest prints a Storage parameter: its name.
inline void PrintTo(Storage storage, std::ostream* out) { *out << StorageName(storage); }

/// \brief Both storages, for suites that run on each:
///
///     class RoundTripTest : public ::testing::TestWithParam<Storage> {};
///     INSTANTIATE_TEST_SUITE_P(Storage, RoundTripTest, AllStorages(), PrintStorage);
///
/// and in each test QUIVER_START_SERVER_OR_SKIP(server, GetParam()).
inline auto AllStorages() { return ::testing::Values(Storage::kLocal, Storage::kS3); }
std::string PrintStorage(const ::testing::TestParamInfo<Storage>& info);

/// \brief A quiver store in a temporary directory (or an S3 prefix) served on a free
/// loopback port, with a connected client. Test scenarios return Status and are
/// asserted once.
class TestServer {
 public:
  /// \brief Start with default options (customise `serve` before via the overload).
  static arrow::Result<std::unique_ptr<TestServer>> Make(
      Storage storage = Storage::kLocal);
  /// \brief Start with these options; their filesystem, root, exclusive creator and
  /// `shared` are replaced by those of `storage`. On S3 without the Go toolchain:
  /// a status for which IsS3ToolchainMissing() is true (skip then).
  static arrow::Result<std::unique_ptr<TestServer>> Make(
      store::StoreOptions store_options, server::ServeOptions serve_options,
      Storage storage = Storage::kLocal);
  ~TestServer();

  /// \brief The store's root: a local directory, or "<bucket>/<prefix>" on S3.
  const std::string& root() const { return root_; }
  /// \brief Files under the root that no stored version references, relative to it:
  /// parts of uploads not committed (in progress, failed, abandoned), manifests being
  /// written, and temporary files of earlier releases. Empty when every upload ended.
  arrow::Result<std::vector<std::string>> UncommittedFiles() const;
  store::DatasetStore& store() { return *store_; }
  arrow::flight::FlightClient& client() { return *client_; }
  const arrow::flight::Location& location() const { return location_; }
  /// \brief A new client connected to this server.
  arrow::Result<std::unique_ptr<arrow::flight::FlightClient>> Connect() const;

 private:
  TestServer() = default;

  TempDir dir_;
  std::string root_;
  std::shared_ptr<store::DatasetStore> store_;
  std::unique_ptr<server::QuiverService> service_;
  arrow::flight::Location location_;
  std::unique_ptr<arrow::flight::FlightClient> client_;
};

/// \brief Upload a table to `path` (PATH descriptor segments) in batches of `chunk` rows.
arrow::Status Upload(arrow::flight::FlightClient& client,
                     const std::vector<std::string>& path, const arrow::Table& table,
                     int64_t chunk = 64 * 1024);

/// \brief DoGet the dataset's first endpoint, as the cookbook's clients do.
arrow::Result<std::shared_ptr<arrow::Table>> Download(
    arrow::flight::FlightClient& client, const std::vector<std::string>& path);

}  // namespace quiver::testing

/// Start a TestServer on `storage` into `var` (a std::unique_ptr), or skip the test if
/// S3 is asked for and the Go toolchain is missing; fail on any other error. The other
/// arguments are Make's options.
#define QUIVER_START_SERVER_OR_SKIP(var, storage, ...)                         \
  auto var##_result =                                                          \
      ::quiver::testing::TestServer::Make(__VA_ARGS__ __VA_OPT__(, ) storage); \
  if (::quiver::testing::IsS3ToolchainMissing(var##_result.status())) {        \
    GTEST_SKIP() << var##_result.status().message();                           \
  }                                                                            \
  ASSERT_TRUE(var##_result.ok()) << var##_result.status().ToString();          \
  auto var = std::move(var##_result).ValueOrDie()
