#pragma once

#include <string>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/status.h>

#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/layout.h"
#include "quiver/store/version_log_internal.h"

namespace quiver::store {

/// \brief Start-up migration of datasets of the one-file layout of earlier releases
/// (`<root>/<name>` a Parquet file) into version 1 of the versioned layout, resumable
/// after a crash at any step:
///   1. the file is moved aside (Layout::MigratingPath);
///   2. then into the dataset's parts directory (Layout::kMigratedPart);
///   3. then its manifest, version 1, is created exclusively.
///
/// Not thread-safe: run once, before the store serves. Errors are storage failures
/// naming the dataset (store_errors.h).
class LegacyMigrator {
 public:
  /// \param fs, layout, log must outlive the migrator.
  LegacyMigrator(arrow::fs::FileSystem& fs, const Layout& layout, const VersionLog& log)
      : fs_(fs), layout_(layout), log_(log) {}

  /// \brief Migrate the one-file dataset `name` stored at `path`.
  arrow::Status Migrate(const DatasetName& name, const std::string& path);

  /// \brief Finish a migration a crash interrupted after step 1 or 2 (idempotent).
  arrow::Status Finish(const DatasetName& name);

 private:
  arrow::fs::FileSystem& fs_;
  const Layout& layout_;
  const VersionLog& log_;
};

}  // namespace quiver::store
