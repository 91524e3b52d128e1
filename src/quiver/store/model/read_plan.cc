#include <algorithm>
#include <string>

#include <arrow/array/util.h>
#include <arrow/compute/exec.h>
#include <arrow/compute/expression.h>
#include <arrow/compute/initialize.h>
#include <arrow/record_batch.h>
#include <arrow/type.h>

#include "quiver/store/model/read_spec.h"
#include "quiver/store/model/storage_type.h"

namespace quiver::store {
namespace {

/// The top-level field `name` designates in `schema`. \return Invalid if none or several.
arrow::Result<int> TopLevelField(const arrow::Schema& schema, const std::string& name,
                                 std::string_view where) {
  auto indices = schema.GetAllFieldIndices(name);
  if (indices.size() == 1) return indices[0];
  if (indices.empty()) {
    std::string known;
    for (const auto& field : schema.fields()) {
      if (known.size() > 200) {
        known += ", ...";
        break;
      }
      known += (known.empty() ? "" : ", ") + field->name();
    }
    return arrow::Status::Invalid(where, ": unknown column '", name,
                                  "' (the dataset's columns: ", known, ")");
  }
  return arrow::Status::Invalid(where, ": column name '", name,
                                "' is ambiguous (several columns have it)");
}

/// The top-level column a filter's field reference starts at.
arrow::Result<std::string> TopLevelName(const arrow::FieldRef& ref) {
  if (ref.IsName()) return *ref.name();
  if (const auto* nested = ref.nested_refs(); nested != nullptr && !nested->empty()) {
    return TopLevelName(nested->front());
  }
  return arrow::Status::Invalid("the filter refers to a column by position, not by name");
}

}  // namespace

int64_t CountRowGroups(const Manifest& manifest) {
  int64_t count = 0;
  for (const auto& part : manifest.parts) count += part.row_groups;
  return count;
}

arrow::Result<ReadPlan> PlanRead(const Manifest& manifest, const ReadSpec& spec) {
  // Binding looks functions up in the registry, filled by Initialize (idempotent).
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
  const arrow::Schema& schema = *manifest.schema;
  ReadPlan plan;
  std::vector<int> outputs;
  if (spec.columns) {
    if (spec.columns->empty()) {
      return arrow::Status::Invalid("'columns' must name at least one column");
    }
    for (const auto& name : *spec.columns) {
      ARROW_ASSIGN_OR_RAISE(int index, TopLevelField(schema, name, "'columns'"));
      if (std::find(outputs.begin(), outputs.end(), index) != outputs.end()) {
        return arrow::Status::Invalid("'columns' names '", name, "' twice");
      }
      outputs.push_back(index);
    }
  } else {
    for (int i = 0; i < schema.num_fields(); ++i) outputs.push_back(i);
  }
  plan.read_fields = outputs;
  // Parquet statistics of an encoded column (storage_type.h) are not its values'.
  bool prunable = true;
  if (spec.filter) {
    for (const auto& ref : arrow::compute::FieldsInExpression(*spec.filter)) {
      ARROW_ASSIGN_OR_RAISE(auto name, TopLevelName(ref));
      ARROW_ASSIGN_OR_RAISE(int index, TopLevelField(schema, name, "'filter'"));
      plan.read_fields.push_back(index);
      prunable &= !IsEncoded(schema.field(index)->type());
    }
  }
  std::sort(plan.read_fields.begin(), plan.read_fields.end());
  plan.read_fields.erase(std::unique(plan.read_fields.begin(), plan.read_fields.end()),
                         plan.read_fields.end());
  std::vector<std::shared_ptr<arrow::Field>> read_fields, output_fields;
  for (int index : plan.read_fields) read_fields.push_back(schema.field(index));
  for (int index : outputs) {
    output_fields.push_back(schema.field(index));
    plan.output_positions.push_back(static_cast<int>(
        std::lower_bound(plan.read_fields.begin(), plan.read_fields.end(), index) -
        plan.read_fields.begin()));
  }
  plan.schema = arrow::schema(std::move(output_fields), schema.metadata());
  if (spec.filter) {
    auto read_schema = arrow::schema(std::move(read_fields));
    auto bound = spec.filter->Bind(*read_schema);
    if (!bound.ok()) {
      return arrow::Status::Invalid("'filter' does not apply to the dataset's columns: ",
                                    bound.status().message());
    }
    if (bound->type() == nullptr || bound->type()->id() != arrow::Type::BOOL) {
      return arrow::Status::Invalid(
          "'filter' must be a boolean expression, not one of type ",
          bound->type() ? bound->type()->ToString() : "unknown");
    }
    // Evaluated once on no rows, so that a filter Arrow cannot compute on these
    // types is refused now, not while the rows stream.
    arrow::ArrayVector empty;
    for (const auto& field : read_schema->fields()) {
      ARROW_ASSIGN_OR_RAISE(auto column, arrow::MakeEmptyArray(field->type()));
      empty.push_back(std::move(column));
    }
    auto trial = arrow::compute::ExecuteScalarExpression(
        *bound,
        arrow::compute::ExecBatch(*arrow::RecordBatch::Make(read_schema, 0, empty)));
    if (!trial.ok()) {
      return arrow::Status::Invalid(
          "'filter' cannot be evaluated on the dataset's columns: ",
          trial.status().message());
    }
    plan.filter = std::move(*bound);
    if (prunable) plan.unbound_filter = spec.filter;
  }
  plan.limit = spec.limit;
  if (plan.limit && *plan.limit < 0) {
    return arrow::Status::Invalid("'limit' must not be negative");
  }
  int64_t total = CountRowGroups(manifest);
  plan.row_groups = {0, total};
  if (spec.row_groups) {
    const auto& range = *spec.row_groups;
    if (range.begin < 0 || range.begin >= range.end || range.end > total) {
      return arrow::Status::Invalid("row-group range [", range.begin, ", ", range.end,
                                    ") is not within version ", manifest.version,
                                    ", which has ", total, " row groups");
    }
    plan.row_groups = range;
  }
  return plan;
}

std::vector<RowGroupRange> SplitRowGroups(const Manifest& manifest, int64_t count) {
  std::vector<double> weights;
  for (const auto& part : manifest.parts) {
    for (int64_t i = 0; i < part.row_groups; ++i) {
      // Similar-size ranges: a part's row groups share its bytes (at least 1 each).
      weights.push_back(std::max(
          1.0, static_cast<double>(part.bytes) / static_cast<double>(part.row_groups)));
    }
  }
  auto total_groups = static_cast<int64_t>(weights.size());
  std::vector<RowGroupRange> ranges;
  if (total_groups == 0) return ranges;
  count = std::clamp<int64_t>(count, 1, total_groups);
  double total = 0;
  for (double w : weights) total += w;
  double accumulated = 0;
  int64_t begin = 0;
  for (int64_t i = 0; i < total_groups; ++i) {
    accumulated += weights[static_cast<size_t>(i)];
    auto made = static_cast<int64_t>(ranges.size()) + 1;  // including this one
    if (made >= count) break;
    int64_t groups_left = total_groups - (i + 1);
    bool full =
        accumulated >= total * static_cast<double>(made) / static_cast<double>(count);
    if (full || groups_left == count - made) {
      ranges.push_back({begin, i + 1});
      begin = i + 1;
    }
  }
  ranges.push_back({begin, total_groups});
  return ranges;
}

int64_t AutoSplitCount(const Manifest& manifest) {
  int64_t count = (manifest.stored_bytes() + kAutoEndpointBytes - 1) / kAutoEndpointBytes;
  return std::clamp<int64_t>(count, 1, kMaxAutoEndpoints);
}

}  // namespace quiver::store
