#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include <arrow/record_batch.h>
#include <arrow/type_fwd.h>

#include "quiver/store/model/dataset_info.h"

namespace quiver::console {

/// \brief The fields of a schema: name, type (Arrow's rendering), nullability and
/// metadata, and the schema's own metadata.
nlohmann::json SchemaJson(const arrow::Schema& schema);

/// \brief One version: number, operation, rows, stored bytes, parts, commit time
/// (microseconds and RFC 3339), restored_from.
nlohmann::json VersionJson(const store::DatasetInfo& info);

/// \brief Per-column statistics of a version, from its manifest's part summaries:
/// null count summed over the parts; min and max over the parts' (present only when
/// every part had them and they are comparable as the column's type).
nlohmann::json ColumnStatsJson(const store::DatasetInfo& info);

/// \brief The rows of `batch` as arrays of cells: null, a number for integer and
/// floating-point columns, a boolean, or Arrow's rendering of the value.
void AppendRows(const arrow::RecordBatch& batch, nlohmann::json* rows);

}  // namespace quiver::console
