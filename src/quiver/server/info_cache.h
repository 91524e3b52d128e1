#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <arrow/result.h>

#include "quiver/store/model/manifest.h"

namespace quiver::server {

/// \brief The parts of a dataset's FlightInfo that depend only on its version.
struct InfoPieces {
  std::string schema;        ///< IPC-serialised schema
  std::string ticket;        ///< the minted ticket pinning the version
  std::string app_metadata;  ///< the version as JSON
};

/// \brief InfoPieces per dataset, so that ListFlights over thousands of datasets does
/// not rebuild them for every dataset on every call.
///
/// An entry is valid while the catalog hands out the same manifest object for the
/// dataset (every commit installs a new one). Thread-safe.
class InfoCache {
 public:
  using Make = std::function<arrow::Result<InfoPieces>()>;

  /// \brief The pieces of `manifest`, the current version of dataset `name`, made with
  /// `make` when not cached.
  arrow::Result<InfoPieces> Get(const std::string& name,
                                const std::shared_ptr<const store::Manifest>& manifest,
                                const Make& make);
  /// \brief Forget a dataset (after a drop).
  void Erase(const std::string& name);

 private:
  struct Entry {
    std::shared_ptr<const store::Manifest> manifest;
    InfoPieces pieces;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace quiver::server
