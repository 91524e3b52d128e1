#include <cmath>
#include <map>
#include <vector>

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api_aggregate.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/key_value_metadata.h>

#include "quiver/common/rfc3339.h"
#include "quiver/console/dataset_json_internal.h"

namespace quiver::console {
namespace {

nlohmann::json MetadataJson(const std::shared_ptr<const arrow::KeyValueMetadata>& meta) {
  nlohmann::json json = nlohmann::json::object();
  if (meta == nullptr) return json;
  for (int64_t i = 0; i < meta->size(); ++i) json[meta->key(i)] = meta->value(i);
  return json;
}

/// min or max over the parts' renderings of one column, compared as `type`;
/// null when a rendering does not parse as it.
nlohmann::json Extreme(const std::shared_ptr<arrow::DataType>& type,
                       const std::vector<std::string>& values, bool want_max) {
  if (values.empty()) return nullptr;
  if (values.size() == 1) return values.front();
  std::unique_ptr<arrow::ArrayBuilder> builder;
  if (!arrow::MakeBuilder(arrow::default_memory_pool(), type, &builder).ok()) {
    return nullptr;
  }
  for (const auto& value : values) {
    auto scalar = arrow::Scalar::Parse(type, value);
    if (!scalar.ok() || !builder->AppendScalar(**scalar).ok()) return nullptr;
  }
  auto array = builder->Finish();
  if (!array.ok()) return nullptr;
  auto min_max = arrow::compute::MinMax(*array);
  if (!min_max.ok()) return nullptr;
  const auto& pair = min_max->scalar_as<arrow::StructScalar>();
  return pair.value[want_max ? 1 : 0]->ToString();
}

}  // namespace

nlohmann::json SchemaJson(const arrow::Schema& schema) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& field : schema.fields()) {
    fields.push_back({{"name", field->name()},
                      {"type", field->type()->ToString()},
                      {"nullable", field->nullable()},
                      {"metadata", MetadataJson(field->metadata())}});
  }
  return {{"fields", fields}, {"metadata", MetadataJson(schema.metadata())}};
}

nlohmann::json VersionJson(const store::DatasetInfo& info) {
  nlohmann::json json = {{"version", info.version},
                         {"rows", info.num_rows},
                         {"bytes", info.stored_bytes},
                         {"committed_at_us", info.committed_at_us},
                         {"committed_at", FormatRfc3339Utc(info.committed_at_us)},
                         {"dropped", info.dropped()}};
  if (info.manifest) {
    json["operation"] =
        std::string(store::VersionOperationName(info.manifest->operation));
    json["parts"] = info.manifest->parts.size();
    if (info.manifest->restored_from)
      json["restored_from"] = *info.manifest->restored_from;
  }
  return json;
}

nlohmann::json ColumnStatsJson(const store::DatasetInfo& info) {
  nlohmann::json columns = nlohmann::json::array();
  if (!info.manifest || !info.schema) return columns;
  const auto& parts = info.manifest->parts;
  for (const auto& field : info.schema->fields()) {
    int64_t nulls = 0;
    bool complete = !parts.empty();
    std::vector<std::string> mins, maxs;
    for (const auto& part : parts) {
      const store::ColumnStats* found = nullptr;
      for (const auto& stats : part.stats) {
        if (stats.column == field->name()) found = &stats;
      }
      if (found == nullptr) {
        complete = false;
        continue;
      }
      nulls += found->null_count;
      if (found->min && found->max) {
        mins.push_back(*found->min);
        maxs.push_back(*found->max);
      } else if (part.num_rows > found->null_count) {
        complete = false;  // a part with values but no min/max: unknown overall
      }
    }
    nlohmann::json column = {{"name", field->name()},
                             {"type", field->type()->ToString()},
                             {"nulls", complete ? nlohmann::json(nulls) : nullptr},
                             {"min", nullptr},
                             {"max", nullptr}};
    if (complete) {
      column["min"] = Extreme(field->type(), mins, /*want_max=*/false);
      column["max"] = Extreme(field->type(), maxs, /*want_max=*/true);
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

void AppendRows(const arrow::RecordBatch& batch, nlohmann::json* rows) {
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    nlohmann::json cells = nlohmann::json::array();
    for (int c = 0; c < batch.num_columns(); ++c) {
      const auto& column = *batch.column(c);
      if (column.IsNull(row)) {
        cells.push_back(nullptr);
        continue;
      }
      auto scalar = column.GetScalar(row);
      if (!scalar.ok()) {
        cells.push_back(nullptr);
        continue;
      }
      const auto& value = **scalar;
      auto id = value.type->id();
      if (arrow::is_integer(id) && id != arrow::Type::UINT64) {
        auto as_int = value.CastTo(arrow::int64());
        if (as_int.ok()) {
          cells.push_back(static_cast<const arrow::Int64Scalar&>(**as_int).value);
          continue;
        }
      } else if (id == arrow::Type::DOUBLE || id == arrow::Type::FLOAT) {
        auto as_double = value.CastTo(arrow::float64());
        if (as_double.ok()) {
          double d = static_cast<const arrow::DoubleScalar&>(**as_double).value;
          if (std::isfinite(d)) {
            cells.push_back(d);
            continue;
          }
        }
      } else if (id == arrow::Type::BOOL) {
        cells.push_back(static_cast<const arrow::BooleanScalar&>(value).value);
        continue;
      }
      cells.push_back(value.ToString());
    }
    rows->push_back(std::move(cells));
  }
}

}  // namespace quiver::console
