#include "quiver/sql/insert_columns.h"

#include <algorithm>
#include <utility>

#include <arrow/array/util.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/initialize.h>
#include <arrow/type.h>

namespace quiver::sql {

arrow::Result<InsertColumns> InsertColumns::Make(
    const std::shared_ptr<arrow::Schema>& source,
    const std::shared_ptr<arrow::Schema>& target, const std::vector<std::string>& columns,
    bool by_name) {
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());  // the cast kernels
  InsertColumns mapping;
  mapping.target_ = target;
  mapping.sources_.assign(target->num_fields(), -1);
  auto place = [&](const std::string& name, int from) -> arrow::Status {
    int at = target->GetFieldIndex(name);
    if (at < 0) {
      return arrow::Status::Invalid("INSERT: the table has no column '", name,
                                    "' (its columns: ", target->ToString(), ")");
    }
    if (mapping.sources_[at] >= 0) {
      return arrow::Status::Invalid("INSERT: column '", name, "' is given twice");
    }
    mapping.sources_[at] = from;
    return arrow::Status::OK();
  };
  if (by_name) {
    for (int i = 0; i < source->num_fields(); ++i) {
      ARROW_RETURN_NOT_OK(place(source->field(i)->name(), i));
    }
  } else if (!columns.empty()) {
    if (static_cast<int>(columns.size()) != source->num_fields()) {
      return arrow::Status::Invalid("INSERT lists ", columns.size(),
                                    " columns but its query gives ",
                                    source->num_fields());
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      ARROW_RETURN_NOT_OK(place(columns[i], static_cast<int>(i)));
    }
  } else {
    if (source->num_fields() != target->num_fields()) {
      return arrow::Status::Invalid("INSERT: the table has ", target->num_fields(),
                                    " columns but the query gives ",
                                    source->num_fields());
    }
    for (int i = 0; i < target->num_fields(); ++i) mapping.sources_[i] = i;
  }
  for (int i = 0; i < target->num_fields(); ++i) {
    if (mapping.sources_[i] < 0 && !target->field(i)->nullable()) {
      return arrow::Status::Invalid("INSERT: column '", target->field(i)->name(),
                                    "' may not be null and is not given");
    }
  }
  return mapping;
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> InsertColumns::Apply(
    const arrow::RecordBatch& batch) const {
  arrow::ArrayVector arrays;
  for (int i = 0; i < target_->num_fields(); ++i) {
    const auto& field = target_->field(i);
    std::shared_ptr<arrow::Array> array;
    if (sources_[i] < 0) {
      ARROW_ASSIGN_OR_RAISE(array,
                            arrow::MakeArrayOfNull(field->type(), batch.num_rows()));
    } else {
      array = batch.column(sources_[i]);
      if (!array->type()->Equals(*field->type())) {
        auto cast = arrow::compute::Cast(*array, field->type());
        if (!cast.ok()) {
          return arrow::Status::Invalid("INSERT: column '", field->name(), "' (",
                                        field->type()->ToString(), ") cannot take ",
                                        array->type()->ToString(),
                                        " values: ", cast.status().message());
        }
        array = std::move(*cast);
      }
    }
    if (!field->nullable() && array->null_count() > 0) {
      return arrow::Status::Invalid("INSERT: column '", field->name(),
                                    "' may not be null");
    }
    arrays.push_back(std::move(array));
  }
  return arrow::RecordBatch::Make(target_, batch.num_rows(), std::move(arrays));
}

}  // namespace quiver::sql
