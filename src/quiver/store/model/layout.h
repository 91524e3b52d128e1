#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/store/model/dataset_name.h"

namespace quiver::store {

/// \brief The mapping between datasets and paths: the only code that builds paths.
///
/// Dataset `a/b` lives in the directory `<root>/a/b/` (see docs/storage-format.md):
///   `.manifests/00000000000000000007.json`  the manifest of version 7
///   `.manifests/.tmp-<unique>`              a manifest being written (never read)
///   `.parts/<unique>.parquet`                an immutable part
/// Names never start with '.', so these never collide with datasets, and nested
/// datasets (`a/b/c`) are directories beside them.
///
/// Earlier releases stored dataset `a/b` as the single Parquet file `<root>/a/b`; the
/// store migrates such files at start-up through `<root>/a/.quiver-migrate-b` and the
/// part `<root>/a/b/.parts/migrated-v1.parquet`.
///
/// Immutable; thread-safe.
class Layout {
 public:
  explicit Layout(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }

  std::string DatasetDir(const DatasetName& name) const;
  std::string ManifestDir(const DatasetName& name) const;
  std::string ManifestPath(const DatasetName& name, int64_t version) const;
  /// \brief Where a manifest is written before being linked into place.
  std::string ManifestTempPath(const DatasetName& name, std::string_view unique) const;
  std::string PartsDir(const DatasetName& name) const;
  std::string PartPath(const DatasetName& name, std::string_view file) const;
  /// \brief The directory holding the dataset's directory.
  std::string ParentDir(const DatasetName& name) const;

  /// \brief A legacy one-file dataset on its way into the versioned layout.
  std::string MigratingPath(const DatasetName& name) const;
  /// \brief The part a migrated legacy file becomes.
  static constexpr std::string_view kMigratedPart = "migrated-v1.parquet";

  /// \brief What a path found under the root is.
  enum class Kind {
    kManifest,      ///< name, version
    kManifestTemp,  ///< name
    kPart,          ///< name, file
    kLegacyTemp,    ///< an upload of an earlier release, interrupted
    kMigrating,     ///< name: a legacy file moved aside by an interrupted migration
    kLegacyData,    ///< name: a legacy one-file dataset (or any other visible file)
    kOther,
  };
  struct Entry {
    Kind kind = Kind::kOther;
    std::string name;  ///< the dataset, as text (valid DatasetName when set)
    int64_t version = 0;
    std::string file;
  };
  /// \brief Classify a file path under the root (inverse of the builders above).
  Entry Classify(std::string_view path) const;

 private:
  std::string root_;
};

}  // namespace quiver::store
