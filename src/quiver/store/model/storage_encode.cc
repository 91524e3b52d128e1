// EncodeArray: client arrays in their storage forms (storage_type.h).

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/builder.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/extension_type.h>
#include <arrow/type.h>
#include <arrow/util/bitmap_ops.h>

#include "quiver/store/model/array_kernels.h"
#include "quiver/store/model/storage_type.h"

namespace quiver::store {
namespace {

namespace cp = arrow::compute;

/// `array`'s validity as a bitmap starting at bit 0 (nullptr without nulls).
arrow::Result<std::shared_ptr<arrow::Buffer>> Validity(const arrow::Array& array) {
  if (array.null_count() == 0 || array.null_bitmap_data() == nullptr) return nullptr;
  return arrow::internal::CopyBitmap(arrow::default_memory_pool(),
                                     array.null_bitmap_data(), array.offset(),
                                     array.length());
}

arrow::Result<std::shared_ptr<arrow::Array>> EncodeDayTime(const arrow::Array& array) {
  const auto& intervals = static_cast<const arrow::DayTimeIntervalArray&>(array);
  arrow::Int32Builder days, millis;
  ARROW_RETURN_NOT_OK(days.Reserve(array.length()));
  ARROW_RETURN_NOT_OK(millis.Reserve(array.length()));
  for (int64_t i = 0; i < array.length(); ++i) {
    auto value = intervals.IsValid(i) ? intervals.GetValue(i)
                                      : arrow::DayTimeIntervalType::DayMilliseconds{};
    days.UnsafeAppend(value.days);
    millis.UnsafeAppend(value.milliseconds);
  }
  ARROW_ASSIGN_OR_RAISE(auto d, days.Finish());
  ARROW_ASSIGN_OR_RAISE(auto m, millis.Finish());
  ARROW_ASSIGN_OR_RAISE(auto validity, Validity(array));
  auto type = StorageTypeOf(array.type(), false);
  return std::make_shared<arrow::StructArray>(type, array.length(),
                                              arrow::ArrayVector{d, m}, validity);
}

arrow::Result<std::shared_ptr<arrow::Array>> EncodeMonthDayNano(
    const arrow::Array& array) {
  const auto& intervals = static_cast<const arrow::MonthDayNanoIntervalArray&>(array);
  arrow::Int32Builder months, days;
  arrow::Int64Builder nanos;
  ARROW_RETURN_NOT_OK(months.Reserve(array.length()));
  ARROW_RETURN_NOT_OK(days.Reserve(array.length()));
  ARROW_RETURN_NOT_OK(nanos.Reserve(array.length()));
  for (int64_t i = 0; i < array.length(); ++i) {
    auto value = intervals.IsValid(i) ? intervals.GetValue(i)
                                      : arrow::MonthDayNanoIntervalType::MonthDayNanos{};
    months.UnsafeAppend(value.months);
    days.UnsafeAppend(value.days);
    nanos.UnsafeAppend(value.nanoseconds);
  }
  ARROW_ASSIGN_OR_RAISE(auto mo, months.Finish());
  ARROW_ASSIGN_OR_RAISE(auto d, days.Finish());
  ARROW_ASSIGN_OR_RAISE(auto n, nanos.Finish());
  ARROW_ASSIGN_OR_RAISE(auto validity, Validity(array));
  auto type = StorageTypeOf(array.type(), false);
  return std::make_shared<arrow::StructArray>(type, array.length(),
                                              arrow::ArrayVector{mo, d, n}, validity);
}

/// A run-end encoded array as its values, one per row.
arrow::Result<std::shared_ptr<arrow::Array>> DecodeRuns(const arrow::Array& array) {
  const auto& ree = static_cast<const arrow::RunEndEncodedArray&>(array);
  arrow::Int64Builder indices;
  ARROW_RETURN_NOT_OK(indices.Reserve(array.length()));
  const int64_t begin = array.offset(), end = array.offset() + array.length();
  int64_t row = begin;
  const auto& run_ends = *ree.run_ends();
  for (int64_t run = ree.FindPhysicalOffset(); row < end && run < run_ends.length();
       ++run) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, run_ends.GetScalar(run));
    ARROW_ASSIGN_OR_RAISE(auto as_int64, scalar->CastTo(arrow::int64()));
    int64_t run_end = static_cast<const arrow::Int64Scalar&>(*as_int64).value;
    for (; row < std::min(run_end, end); ++row) indices.UnsafeAppend(run);
  }
  if (row != end) return arrow::Status::Invalid("run-end encoded array ends early");
  ARROW_ASSIGN_OR_RAISE(auto taken, indices.Finish());
  ARROW_ASSIGN_OR_RAISE(auto values, TakeRows(*ree.values(), *taken));
  return values;
}

arrow::Result<std::shared_ptr<arrow::Array>> EncodeUnion(
    const arrow::Array& array, const std::shared_ptr<arrow::DataType>& storage) {
  const auto& u = static_cast<const arrow::UnionArray&>(array);
  const auto& type = static_cast<const arrow::UnionType&>(*array.type());
  arrow::ArrayVector children;
  children.push_back(std::make_shared<arrow::Int8Array>(
      array.length(), array.data()->buffers[1], nullptr, 0, array.offset()));
  for (int k = 0; k < type.num_fields(); ++k) {
    std::shared_ptr<arrow::Array> child;
    if (type.mode() == arrow::UnionMode::SPARSE) {
      child = u.field(k);
    } else {
      // Row-aligned: row i holds the child's value where row i selects child k, else
      // null.
      const auto& dense = static_cast<const arrow::DenseUnionArray&>(array);
      const int8_t code = type.type_codes()[static_cast<size_t>(k)];
      arrow::Int32Builder take;
      ARROW_RETURN_NOT_OK(take.Reserve(array.length()));
      for (int64_t i = 0; i < array.length(); ++i) {
        if (dense.raw_type_codes()[i] == code) {
          take.UnsafeAppend(dense.raw_value_offsets()[i]);
        } else {
          take.UnsafeAppendNull();
        }
      }
      ARROW_ASSIGN_OR_RAISE(auto indices, take.Finish());
      ARROW_ASSIGN_OR_RAISE(child, TakeRows(*dense.field(k), *indices));
    }
    ARROW_ASSIGN_OR_RAISE(child, EncodeArray(child, storage->field(k + 1)->type()));
    children.push_back(std::move(child));
  }
  return std::make_shared<arrow::StructArray>(storage, array.length(),
                                              std::move(children));
}

/// `array` with the same buffers and offset, its children replaced.
std::shared_ptr<arrow::Array> WithChildren(const arrow::Array& array,
                                           std::shared_ptr<arrow::DataType> type,
                                           const arrow::ArrayVector& children) {
  auto data = array.data()->Copy();
  data->type = std::move(type);
  data->child_data.clear();
  for (const auto& child : children) data->child_data.push_back(child->data());
  return arrow::MakeArray(std::move(data));
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Array>> TakeRows(const arrow::Array& values,
                                                      const arrow::Array& indices) {
  if (values.type_id() == arrow::Type::RUN_END_ENCODED) {
    // No take kernel: through the values, one per row, and back into runs.
    ARROW_ASSIGN_OR_RAISE(auto dense, DecodeRuns(values));
    ARROW_ASSIGN_OR_RAISE(auto rows, TakeRows(*dense, indices));
    return DecodeArray(rows, values.type());
  }
  auto taken = cp::Take(values, indices);
  if (taken.ok() || !taken.status().IsNotImplemented()) return taken;
  std::shared_ptr<arrow::DataType> plain;
  if (values.type_id() == arrow::Type::STRING_VIEW) plain = arrow::large_utf8();
  if (values.type_id() == arrow::Type::BINARY_VIEW) plain = arrow::large_binary();
  if (!plain) return taken;
  ARROW_ASSIGN_OR_RAISE(auto converted, cp::Cast(values, plain));
  ARROW_ASSIGN_OR_RAISE(auto rows, cp::Take(*converted, indices));
  return cp::Cast(*rows, values.type());
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> FilterRows(
    const std::shared_ptr<arrow::RecordBatch>& batch, const arrow::Array& mask) {
  auto filtered = cp::Filter(batch, mask);
  if (filtered.ok()) return filtered->record_batch();
  if (!filtered.status().IsNotImplemented()) return filtered.status();
  if (mask.type_id() != arrow::Type::BOOL) return arrow::Status::Invalid("mask not bool");
  const auto& keep = static_cast<const arrow::BooleanArray&>(mask);
  arrow::Int64Builder rows;
  for (int64_t i = 0; i < keep.length(); ++i) {
    if (keep.IsValid(i) && keep.Value(i)) ARROW_RETURN_NOT_OK(rows.Append(i));
  }
  ARROW_ASSIGN_OR_RAISE(auto indices, rows.Finish());
  arrow::ArrayVector columns;
  for (const auto& column : batch->columns()) {
    ARROW_ASSIGN_OR_RAISE(auto taken, TakeRows(*column, *indices));
    columns.push_back(std::move(taken));
  }
  return arrow::RecordBatch::Make(batch->schema(), indices->length(), std::move(columns));
}

arrow::Result<std::shared_ptr<arrow::Array>> ReencodeDictionary(
    const std::shared_ptr<arrow::Array>& dense,
    const std::shared_ptr<arrow::DataType>& type) {
  const auto& dictionary_type = static_cast<const arrow::DictionaryType&>(*type);
  std::shared_ptr<arrow::Array> values = dense;
  std::shared_ptr<arrow::DataType> extension;
  if (values->type_id() == arrow::Type::EXTENSION) {
    extension = values->type();
    values = static_cast<const arrow::ExtensionArray&>(*values).storage();
  }
  auto encoded = cp::DictionaryEncode(values);
  std::shared_ptr<arrow::Array> indices, dictionary;
  if (encoded.ok()) {
    auto array = encoded->make_array();
    const auto& result = static_cast<const arrow::DictionaryArray&>(*array);
    ARROW_ASSIGN_OR_RAISE(indices,
                          cp::Cast(*result.indices(), dictionary_type.index_type()));
    dictionary = result.dictionary();
  } else {
    // No hash kernel for the values: the values themselves are the dictionary.
    arrow::Int64Builder positions;
    ARROW_RETURN_NOT_OK(positions.Reserve(values->length()));
    for (int64_t i = 0; i < values->length(); ++i) {
      if (values->IsValid(i)) {
        positions.UnsafeAppend(i);
      } else {
        positions.UnsafeAppendNull();
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto all, positions.Finish());
    ARROW_ASSIGN_OR_RAISE(indices, cp::Cast(*all, dictionary_type.index_type()));
    dictionary = values;
  }
  if (extension) {
    dictionary = arrow::ExtensionType::WrapArray(extension, dictionary);
  }
  return arrow::DictionaryArray::FromArrays(type, indices, dictionary);
}

arrow::Result<std::shared_ptr<arrow::Array>> EncodeArray(
    const std::shared_ptr<arrow::Array>& array,
    const std::shared_ptr<arrow::DataType>& storage_type) {
  using arrow::Type;
  const auto& type = array->type();
  if (type->Equals(*storage_type)) {
    if (type->id() != Type::DICTIONARY) return array;
    // Parquet cannot write a dictionary holding nulls: nulls go to the indices.
    const auto& dictionary = static_cast<const arrow::DictionaryArray&>(*array);
    if (dictionary.dictionary()->null_count() == 0) return array;
    ARROW_ASSIGN_OR_RAISE(auto dense,
                          TakeRows(*dictionary.dictionary(), *dictionary.indices()));
    return ReencodeDictionary(dense, type);
  }
  switch (type->id()) {
    case Type::INTERVAL_MONTHS:
      return array->View(arrow::int32());
    case Type::INTERVAL_DAY_TIME:
      return EncodeDayTime(*array);
    case Type::INTERVAL_MONTH_DAY_NANO:
      return EncodeMonthDayNano(*array);
    case Type::RUN_END_ENCODED: {
      ARROW_ASSIGN_OR_RAISE(auto values, DecodeRuns(*array));
      return EncodeArray(values, storage_type);
    }
    case Type::SPARSE_UNION:
    case Type::DENSE_UNION:
      return EncodeUnion(*array, storage_type);
    case Type::DICTIONARY: {
      const auto& dictionary = static_cast<const arrow::DictionaryArray&>(*array);
      ARROW_ASSIGN_OR_RAISE(auto dense,
                            TakeRows(*dictionary.dictionary(), *dictionary.indices()));
      return EncodeArray(dense, storage_type);
    }
    case Type::EXTENSION:
      return EncodeArray(static_cast<const arrow::ExtensionArray&>(*array).storage(),
                         storage_type);
    case Type::STRUCT: {
      if (type->num_fields() == 0) {
        // Its validity: true where valid, null where null.
        ARROW_ASSIGN_OR_RAISE(auto validity, Validity(*array));
        ARROW_ASSIGN_OR_RAISE(auto ones, arrow::AllocateBitmap(array->length()));
        arrow::bit_util::SetBitsTo(ones->mutable_data(), 0, array->length(), true);
        return std::make_shared<arrow::BooleanArray>(array->length(), std::move(ones),
                                                     std::move(validity));
      }
      arrow::ArrayVector children;
      for (int k = 0; k < type->num_fields(); ++k) {
        ARROW_ASSIGN_OR_RAISE(auto child,
                              EncodeArray(arrow::MakeArray(array->data()->child_data[k]),
                                          storage_type->field(k)->type()));
        children.push_back(std::move(child));
      }
      return WithChildren(*array, storage_type, children);
    }
    case Type::MAP:
    case Type::LIST:
    case Type::LARGE_LIST:
    case Type::LIST_VIEW:
    case Type::LARGE_LIST_VIEW:
    case Type::FIXED_SIZE_LIST: {
      ARROW_ASSIGN_OR_RAISE(auto child,
                            EncodeArray(arrow::MakeArray(array->data()->child_data[0]),
                                        storage_type->field(0)->type()));
      return WithChildren(*array, storage_type, {child});
    }
    default:
      return arrow::Status::Invalid("a column of type ", type->ToString(),
                                    " cannot be stored as ", storage_type->ToString());
  }
}

}  // namespace quiver::store
