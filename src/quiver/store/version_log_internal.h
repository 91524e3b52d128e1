#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>

#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/layout.h"
#include "quiver/store/model/manifest.h"

namespace quiver::store {

/// \brief The manifests of datasets, as stored: list, read, create exclusively, delete.
///
/// Stateless apart from its collaborators; thread-safe. Errors are returned raw
/// (paths included): callers wrap them with StorageError before they leave the store.
class VersionLog {
 public:
  VersionLog(std::shared_ptr<arrow::fs::FileSystem> fs, Layout layout,
             std::shared_ptr<ExclusiveCreator> creator)
      : fs_(std::move(fs)), layout_(std::move(layout)), creator_(std::move(creator)) {}

  /// \brief The versions that have a manifest, ascending (empty when none).
  arrow::Result<std::vector<int64_t>> ListVersions(const DatasetName& name) const;

  /// \brief Read and validate one manifest. \return KeyError if it does not exist,
  /// Invalid if it is not a valid manifest of this dataset and version.
  arrow::Result<Manifest> Read(const DatasetName& name, int64_t version) const;

  /// \brief The manifest of the highest version, if any.
  arrow::Result<std::optional<Manifest>> ReadHead(const DatasetName& name) const;

  /// \brief Create the manifest of `manifest.version`, whole or not at all.
  /// \return AlreadyExists if another writer created that version first.
  arrow::Status Create(const DatasetName& name, const Manifest& manifest) const;

  /// \brief Delete one version's manifest.
  arrow::Status Delete(const DatasetName& name, int64_t version) const;

  const Layout& layout() const { return layout_; }

 private:
  std::shared_ptr<arrow::fs::FileSystem> fs_;
  Layout layout_;
  std::shared_ptr<ExclusiveCreator> creator_;
};

}  // namespace quiver::store
