#pragma once

#include <cstdint>
#include <memory>

#include <arrow/type_fwd.h>

#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/manifest.h"

namespace quiver::store {

/// \brief What the store knows about one version of a dataset (normally the current
/// one). Cheap to copy: the manifest is shared and immutable.
struct DatasetInfo {
  DatasetName name;
  /// The Arrow schema the dataset was uploaded with.
  std::shared_ptr<arrow::Schema> schema;
  int64_t num_rows = 0;
  /// Total size of the version's Parquet parts, in bytes.
  int64_t stored_bytes = 0;
  int64_t version = 0;
  int64_t committed_at_us = 0;
  std::shared_ptr<const Manifest> manifest;

  bool dropped() const { return manifest && manifest->dropped(); }

  /// \brief The info of `manifest` (which must be valid for `name`).
  static DatasetInfo Of(DatasetName name, std::shared_ptr<const Manifest> manifest) {
    DatasetInfo info{std::move(name),
                     manifest->schema,
                     manifest->num_rows(),
                     manifest->stored_bytes(),
                     manifest->version,
                     manifest->committed_at_us,
                     nullptr};
    info.manifest = std::move(manifest);
    return info;
  }
};

}  // namespace quiver::store
