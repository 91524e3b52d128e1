#pragma once

#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/store/dataset_name.h"

namespace quiver::store {

/// \brief The mapping between dataset names and paths: the only code that builds paths.
///
/// A dataset `a/b/c` is the Parquet file `<root>/a/b/c`, so a store directory written
/// by the cookbook's servers is readable as is. Uploads in progress are written to
/// `<root>/a/b/.quiver-tmp-<unique>`, beside their target so that the commit is a
/// rename within one directory. Names never start with '.', so these never collide.
///
/// Immutable; thread-safe.
class Layout {
 public:
  explicit Layout(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }

  /// \brief The file holding a committed dataset.
  std::string DataPath(const DatasetName& name) const;
  /// \brief The directory that holds the dataset's file.
  std::string ParentDir(const DatasetName& name) const;
  /// \brief A temporary file for an upload of `name`; `unique` must be unique.
  std::string TempPath(const DatasetName& name, std::string_view unique) const;

  /// \brief Whether a file's base name is one of the store's temporary files.
  static bool IsTempFile(std::string_view base_name);

  /// \brief The dataset stored at `path` (inverse of DataPath).
  /// \return Invalid if the path is outside the root or is not a valid name.
  arrow::Result<DatasetName> NameOf(std::string_view path) const;

 private:
  std::string root_;
};

}  // namespace quiver::store
