#include <arrow/array.h>
#include <arrow/compute/api_aggregate.h>
#include <arrow/scalar.h>

#include "quiver/store/parquet/dictionary_check_internal.h"

namespace quiver::store {

arrow::Status CheckDictionaryIndices(const arrow::RecordBatch& batch) {
  for (int i = 0; i < batch.num_columns(); ++i) {
    const auto& column = batch.column(i);
    if (column->type_id() != arrow::Type::DICTIONARY ||
        column->null_count() == column->length()) {
      continue;
    }
    const auto& dictionary = static_cast<const arrow::DictionaryArray&>(*column);
    ARROW_ASSIGN_OR_RAISE(auto range, arrow::compute::MinMax(dictionary.indices()));
    const auto& pair = range.scalar_as<arrow::StructScalar>();
    ARROW_ASSIGN_OR_RAISE(auto low, pair.value[0]->CastTo(arrow::int64()));
    ARROW_ASSIGN_OR_RAISE(auto high, pair.value[1]->CastTo(arrow::int64()));
    int64_t min = static_cast<const arrow::Int64Scalar&>(*low).value;
    int64_t max = static_cast<const arrow::Int64Scalar&>(*high).value;
    if (min < 0 || max >= dictionary.dictionary()->length()) {
      return arrow::Status::IOError("column '", batch.schema()->field(i)->name(),
                                    "' of a part has dictionary indices outside its "
                                    "dictionary");
    }
  }
  return arrow::Status::OK();
}

}  // namespace quiver::store
