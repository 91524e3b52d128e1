#pragma once

/// \file
/// quiver's datasets as SQL tables, through the store's public API only.
///
/// Mapping: the dataset `sales/2024` is the table named by the identifier
/// `"sales/2024"` (quoted, since it holds a '/'; a one-segment name such as `trips`
/// needs no quotes), reported in catalog "quiver", schema "main". Each statement
/// reads the version that was current when it was prepared (one snapshot per
/// statement; the store pins it while a scan reads it).

#include <functional>
#include <memory>
#include <vector>

#include <arrow/status.h>

#include "quiver/sql/metadata.h"
#include "quiver/sql/table_source.h"
#include "quiver/store/dataset_store.h"
#include "quiver/store/model/dataset_name.h"

namespace quiver::sql {

/// \brief Decides whether the caller may read a dataset (OK) or not (the status to
/// fail with). Called on the preparing thread.
using ReadCheck = std::function<arrow::Status(const store::DatasetName&)>;

/// \brief The tables of a store. Thread-safe.
class DatasetTables {
 public:
  explicit DatasetTables(std::shared_ptr<store::DatasetStore> store);

  /// \brief A resolver for one statement: a table name that is a dataset name is
  /// checked with `may_read` first (so a refusal says nothing of existence), then
  /// pinned to the dataset's current version. Names that are no dataset: KeyError.
  std::unique_ptr<TableResolver> MakeResolver(ReadCheck may_read) const;

  /// \brief The live datasets for which `may_read` is OK, as GetTables lists them.
  std::vector<TableEntry> List(const ReadCheck& may_read) const;

 private:
  std::shared_ptr<store::DatasetStore> store_;
};

}  // namespace quiver::sql
