#pragma once

#include <memory>
#include <string>

#include <arrow/flight/client.h>
#include <arrow/result.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"

#include "testing/temp_dir.h"

namespace quiver::testing {

/// \brief A quiver store in a temporary directory served on a free loopback port,
/// with a connected client. Test scenarios return Status and are asserted once.
class TestServer {
 public:
  /// \brief Start with default options (customise `serve` before via the overload).
  static arrow::Result<std::unique_ptr<TestServer>> Make();
  static arrow::Result<std::unique_ptr<TestServer>> Make(
      store::StoreOptions store_options, server::ServeOptions serve_options);
  ~TestServer();

  const std::string& root() const { return dir_.path(); }
  store::DatasetStore& store() { return *store_; }
  arrow::flight::FlightClient& client() { return *client_; }
  const arrow::flight::Location& location() const { return location_; }
  /// \brief A new client connected to this server.
  arrow::Result<std::unique_ptr<arrow::flight::FlightClient>> Connect() const;

 private:
  TestServer() = default;

  TempDir dir_;
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
