#pragma once

/// \file
/// The storage layer of quiver: datasets as Parquet files on an arrow::fs::FileSystem.
///
/// DatasetStore is the entry point. It knows nothing of Flight: the server maps RPCs
/// onto it. Errors use Arrow's codes: KeyError (unknown dataset), Invalid (bad name,
/// bad data), AlreadyExists (name conflict), IOError (storage failure; the message
/// never contains a server path).

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/catalog.h"
#include "quiver/store/dataset_info.h"
#include "quiver/store/dataset_upload.h"
#include "quiver/store/layout.h"
#include "quiver/store/store_options.h"

namespace quiver::store {

/// \brief A directory of datasets, each one Parquet file, with an in-memory catalog.
///
/// All methods are thread-safe. Readers see committed datasets only; a reader opened
/// before an overwrite or a drop keeps reading the version it opened (on filesystems
/// with POSIX unlink semantics, such as the local one).
class DatasetStore : public std::enable_shared_from_this<DatasetStore> {
 public:
  /// \brief Open (creating if needed) the store at options.root: remove temporary
  /// files left by interrupted uploads and load the catalog from the Parquet footers.
  /// Files that are not readable Parquet are skipped with a warning, never deleted.
  static arrow::Result<std::shared_ptr<DatasetStore>> Make(StoreOptions options);

  /// \brief Committed datasets whose name starts with `prefix`, sorted by name.
  std::vector<DatasetInfo> List(std::string_view prefix = {}) const;

  /// \brief The catalog entry of a dataset. \return KeyError if there is none.
  arrow::Result<DatasetInfo> Get(const DatasetName& name) const;

  /// \brief A streaming reader over the dataset's current version.
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenReader(
      const DatasetName& name) const;

  /// \brief Start an upload that will replace (or create) the dataset on commit.
  /// \return AlreadyExists if the name conflicts with an existing dataset's place in
  /// the hierarchy (e.g. "a/b" when "a" is a dataset).
  arrow::Result<std::unique_ptr<DatasetUpload>> BeginUpload(
      const DatasetName& name, std::shared_ptr<arrow::Schema> schema);

  /// \brief Delete a dataset. \return KeyError if there is none.
  arrow::Status Drop(const DatasetName& name);

  /// \brief Whether the store's root is reachable (for readiness checks).
  arrow::Status CheckReachable() const;

  size_t dataset_count() const { return catalog_.size(); }
  int64_t total_bytes() const { return catalog_.total_bytes(); }
  const StoreOptions& options() const { return options_; }

 private:
  friend class DatasetUpload;
  explicit DatasetStore(StoreOptions options);

  arrow::Status Load();
  arrow::Result<DatasetInfo> ReadInfo(const DatasetName& name, const std::string& path,
                                      int64_t size) const;
  /// Publish a finished temporary file as `name`. REQUIRES: the file is closed.
  arrow::Result<DatasetInfo> Publish(const DatasetName& name,
                                     const std::string& temp_path,
                                     std::shared_ptr<arrow::Schema> schema,
                                     int64_t num_rows);
  void RemoveTemp(const std::string& temp_path) const;

  StoreOptions options_;
  Layout layout_;
  Catalog catalog_;
  /// Serialises renames/unlinks with their catalog update so that the catalog always
  /// describes the file that is in place.
  std::mutex publish_mutex_;
};

/// \brief An IOError for `what` on dataset `name` that names no server path; the
/// detailed cause is logged server-side.
arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name);

}  // namespace quiver::store
