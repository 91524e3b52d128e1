#pragma once

#include <memory>

#include <arrow/status.h>

#include "quiver/store/background_loop_internal.h"

namespace quiver::store {

class DatasetStoreImpl;

/// \brief Shared roots: keeps the catalog up to date with what other nodes commit,
/// drop and remove, by re-reading the newest manifest of every dataset whose listing
/// shows a newer version.
///
/// Thread-safe.
class CatalogRefresher {
 public:
  /// \param store must outlive the refresher.
  explicit CatalogRefresher(DatasetStoreImpl& store);
  ~CatalogRefresher();

  /// \brief Refresh every MaintenanceOptions::catalog_refresh on a thread of its own,
  /// until destruction. Failures are logged once when they start and once when the
  /// store answers again.
  void StartLoop();

  /// \brief One refresh now. \return IOError if the store cannot be listed or some
  /// manifests could not be read (the others are taken).
  arrow::Status Refresh();

 private:
  void RefreshLogged();

  DatasetStoreImpl& store_;
  bool failing_ = false;  // only touched by the loop's thread
  std::unique_ptr<BackgroundLoop> loop_;
};

}  // namespace quiver::store
