#include <arrow/array/builder_base.h>
#include <arrow/compute/api_aggregate.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <parquet/arrow/reader.h>
#include <parquet/metadata.h>
#include <parquet/schema.h>
#include <parquet/statistics.h>

#include "quiver/store/parquet/part_stats_internal.h"

namespace quiver::store {
namespace {

/// min of the mins and max of the maxes, computed by Arrow's own comparison.
std::optional<std::pair<std::string, std::string>> Extremes(
    const std::shared_ptr<arrow::DataType>& type, const arrow::ScalarVector& mins,
    const arrow::ScalarVector& maxes) {
  auto reduce = [&](const arrow::ScalarVector& scalars,
                    bool want_min) -> std::optional<std::string> {
    auto builder = arrow::MakeBuilder(type);
    if (!builder.ok() || !(*builder)->AppendScalars(scalars).ok()) return std::nullopt;
    auto array = (*builder)->Finish();
    if (!array.ok()) return std::nullopt;
    auto result = arrow::compute::MinMax(*array);
    if (!result.ok()) return std::nullopt;
    const auto& pair = result->scalar_as<arrow::StructScalar>();
    const auto& value = pair.value[want_min ? 0 : 1];
    if (!value || !value->is_valid) return std::nullopt;
    return value->ToString();
  };
  auto min = reduce(mins, true);
  auto max = reduce(maxes, false);
  if (!min || !max) return std::nullopt;
  return std::make_pair(std::move(*min), std::move(*max));
}

}  // namespace

std::vector<ColumnStats> SummarizeStatistics(const parquet::FileMetaData& metadata,
                                             const arrow::Schema& schema) {
  std::vector<ColumnStats> out;
  const parquet::SchemaDescriptor* descr = metadata.schema();
  for (const auto& field : schema.fields()) {
    if (field->type()->num_fields() > 0) continue;  // nested: no single leaf
    int leaf = descr->ColumnIndex(field->name());
    if (leaf < 0) continue;
    ColumnStats stats{field->name(), 0, std::nullopt, std::nullopt};
    bool complete = true, any = false;
    arrow::ScalarVector mins, maxes;
    for (int rg = 0; rg < metadata.num_row_groups(); ++rg) {
      auto row_group = metadata.RowGroup(rg);
      if (row_group->num_rows() == 0) continue;
      auto chunk = row_group->ColumnChunk(leaf);
      auto column_stats = chunk->statistics();
      if (!column_stats) {
        complete = false;
        continue;
      }
      any = true;
      if (column_stats->HasNullCount()) stats.null_count += column_stats->null_count();
      if (!column_stats->HasMinMax()) {
        // All nulls in this row group is not a gap; anything else is.
        if (column_stats->num_values() > 0) complete = false;
        continue;
      }
      std::shared_ptr<arrow::Scalar> min, max;
      if (!parquet::arrow::StatisticsAsScalars(*column_stats, &min, &max).ok() ||
          !min->type->Equals(*max->type)) {
        complete = false;
        continue;
      }
      mins.push_back(std::move(min));
      maxes.push_back(std::move(max));
    }
    if (!any) continue;
    if (complete && !mins.empty()) {
      if (auto extremes = Extremes(mins.front()->type, mins, maxes)) {
        stats.min = std::move(extremes->first);
        stats.max = std::move(extremes->second);
      }
    }
    out.push_back(std::move(stats));
  }
  return out;
}

}  // namespace quiver::store
