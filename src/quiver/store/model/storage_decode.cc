// DecodeArray: arrays read from Parquet back in their client types (storage_type.h).

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

arrow::Status Mismatch(const arrow::Array& stored, const arrow::DataType& type) {
  return arrow::Status::IOError("a part's column of type ", stored.type()->ToString(),
                                " is no stored form of ", type.ToString());
}

arrow::Result<std::shared_ptr<arrow::Buffer>> Validity(const arrow::Array& array) {
  if (array.null_count() == 0 || array.null_bitmap_data() == nullptr) return nullptr;
  return arrow::internal::CopyBitmap(arrow::default_memory_pool(),
                                     array.null_bitmap_data(), array.offset(),
                                     array.length());
}

/// The children of a struct, sliced to it, checked against `count` and `types`.
arrow::Result<arrow::ArrayVector> Fields(const arrow::Array& stored,
                                         const std::vector<arrow::Type::type>& types) {
  if (stored.type_id() != arrow::Type::STRUCT ||
      stored.type()->num_fields() != static_cast<int>(types.size())) {
    return arrow::Status::IOError("a part's column of type ", stored.type()->ToString(),
                                  " is no stored interval");
  }
  const auto& s = static_cast<const arrow::StructArray&>(stored);
  arrow::ArrayVector fields;
  for (int k = 0; k < s.num_fields(); ++k) {
    if (s.field(k)->type_id() != types[static_cast<size_t>(k)] ||
        s.field(k)->null_count() != 0) {
      return arrow::Status::IOError("a part holds a malformed stored interval");
    }
    fields.push_back(s.field(k));
  }
  return fields;
}

template <typename T>
const typename T::c_type* Values(const arrow::Array& array) {
  return static_cast<const arrow::NumericArray<T>&>(array).raw_values();
}

arrow::Result<std::shared_ptr<arrow::Array>> DecodeDayTime(
    const arrow::Array& stored, const std::shared_ptr<arrow::DataType>& type) {
  ARROW_ASSIGN_OR_RAISE(auto fields,
                        Fields(stored, {arrow::Type::INT32, arrow::Type::INT32}));
  const int64_t n = stored.length();
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(n * 8));
  auto* out = reinterpret_cast<arrow::DayTimeIntervalType::DayMilliseconds*>(
      buffer->mutable_data());
  const auto* days = Values<arrow::Int32Type>(*fields[0]);
  const auto* millis = Values<arrow::Int32Type>(*fields[1]);
  for (int64_t i = 0; i < n; ++i)
    out[i] = arrow::DayTimeIntervalType::DayMilliseconds{days[i], millis[i]};
  ARROW_ASSIGN_OR_RAISE(auto validity, Validity(stored));
  return arrow::MakeArray(arrow::ArrayData::Make(
      type, n, {std::move(validity), std::move(buffer)}, stored.null_count()));
}

arrow::Result<std::shared_ptr<arrow::Array>> DecodeMonthDayNano(
    const arrow::Array& stored, const std::shared_ptr<arrow::DataType>& type) {
  ARROW_ASSIGN_OR_RAISE(
      auto fields,
      Fields(stored, {arrow::Type::INT32, arrow::Type::INT32, arrow::Type::INT64}));
  const int64_t n = stored.length();
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(n * 16));
  auto* out = reinterpret_cast<arrow::MonthDayNanoIntervalType::MonthDayNanos*>(
      buffer->mutable_data());
  const auto* months = Values<arrow::Int32Type>(*fields[0]);
  const auto* days = Values<arrow::Int32Type>(*fields[1]);
  const auto* nanos = Values<arrow::Int64Type>(*fields[2]);
  for (int64_t i = 0; i < n; ++i) {
    out[i] = arrow::MonthDayNanoIntervalType::MonthDayNanos{months[i], days[i], nanos[i]};
  }
  ARROW_ASSIGN_OR_RAISE(auto validity, Validity(stored));
  return arrow::MakeArray(arrow::ArrayData::Make(
      type, n, {std::move(validity), std::move(buffer)}, stored.null_count()));
}

/// Values, one per row, as runs: equal neighbours (nulls included) share a run.
arrow::Result<std::shared_ptr<arrow::Array>> EncodeRuns(
    const std::shared_ptr<arrow::Array>& values,
    const std::shared_ptr<arrow::DataType>& type) {
  const auto& ree = static_cast<const arrow::RunEndEncodedType&>(*type);
  arrow::Int64Builder ends, starts;
  const int64_t n = values->length();
  for (int64_t i = 1; i <= n; ++i) {
    if (i == n || !values->RangeEquals(i, i + 1, i - 1, values)) {
      ARROW_RETURN_NOT_OK(ends.Append(i));
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto run_ends, ends.Finish());
  const auto* end = Values<arrow::Int64Type>(*run_ends);
  for (int64_t run = 0; run < run_ends->length(); ++run) {
    ARROW_RETURN_NOT_OK(starts.Append(run == 0 ? int64_t{0} : end[run - 1]));
  }
  ARROW_ASSIGN_OR_RAISE(auto first, starts.Finish());
  ARROW_ASSIGN_OR_RAISE(auto run_values, TakeRows(*values, *first));
  ARROW_ASSIGN_OR_RAISE(auto typed_ends, cp::Cast(*run_ends, ree.run_end_type()));
  ARROW_ASSIGN_OR_RAISE(auto array,
                        arrow::RunEndEncodedArray::Make(type, n, typed_ends, run_values));
  return array;
}

arrow::Result<std::shared_ptr<arrow::Array>> DecodeUnion(
    const std::shared_ptr<arrow::Array>& stored,
    const std::shared_ptr<arrow::DataType>& type) {
  const auto& u = static_cast<const arrow::UnionType&>(*type);
  if (stored->type_id() != arrow::Type::STRUCT ||
      stored->type()->num_fields() != u.num_fields() + 1 ||
      stored->type()->field(0)->type()->id() != arrow::Type::INT8) {
    return Mismatch(*stored, *type);
  }
  const auto& s = static_cast<const arrow::StructArray&>(*stored);
  const int64_t n = stored->length();
  // The type ids, at offset 0.
  ARROW_ASSIGN_OR_RAISE(auto ids, arrow::AllocateBuffer(n));
  const auto& stored_ids = static_cast<const arrow::Int8Array&>(*s.field(0));
  if (stored_ids.null_count() != 0) return Mismatch(*stored, *type);
  std::copy_n(stored_ids.raw_values(), n, ids->mutable_data());
  const auto* codes = reinterpret_cast<const int8_t*>(ids->data());
  for (int64_t i = 0; i < n; ++i) {
    if (codes[i] < 0 || u.child_ids()[static_cast<size_t>(codes[i])] ==
                            arrow::UnionType::kInvalidChildId) {
      return arrow::Status::IOError("a part's union column has an unknown type id");
    }
  }
  std::vector<std::shared_ptr<arrow::ArrayData>> children;
  std::shared_ptr<arrow::Buffer> offsets;
  std::vector<arrow::Int64Builder> rows(static_cast<size_t>(u.num_fields()));
  if (u.mode() == arrow::UnionMode::DENSE) {
    ARROW_ASSIGN_OR_RAISE(offsets, arrow::AllocateBuffer(n * 4));
    auto* out = reinterpret_cast<int32_t*>(offsets->mutable_data());
    for (int64_t i = 0; i < n; ++i) {
      auto& builder = rows[static_cast<size_t>(u.child_ids()[codes[i]])];
      out[i] = static_cast<int32_t>(builder.length());
      ARROW_RETURN_NOT_OK(builder.Append(i));
    }
  }
  for (int k = 0; k < u.num_fields(); ++k) {
    ARROW_ASSIGN_OR_RAISE(auto child, DecodeArray(s.field(k + 1), u.field(k)->type()));
    if (u.mode() == arrow::UnionMode::DENSE) {
      ARROW_ASSIGN_OR_RAISE(auto selected, rows[static_cast<size_t>(k)].Finish());
      ARROW_ASSIGN_OR_RAISE(child, TakeRows(*child, *selected));
    }
    children.push_back(child->data());
  }
  std::vector<std::shared_ptr<arrow::Buffer>> buffers{nullptr, std::move(ids)};
  if (offsets) buffers.push_back(std::move(offsets));
  return arrow::MakeArray(
      arrow::ArrayData::Make(type, n, std::move(buffers), std::move(children), 0));
}

/// `stored` with the same buffers and offset, its children decoded to `type`'s.
arrow::Result<std::shared_ptr<arrow::Array>> DecodeChildren(
    const std::shared_ptr<arrow::Array>& stored,
    const std::shared_ptr<arrow::DataType>& type) {
  if (stored->type()->num_fields() != type->num_fields()) {
    return Mismatch(*stored, *type);
  }
  auto data = stored->data()->Copy();
  data->type = type;
  for (int k = 0; k < type->num_fields(); ++k) {
    auto& child = data->child_data[static_cast<size_t>(k)];
    ARROW_ASSIGN_OR_RAISE(auto decoded,
                          DecodeArray(arrow::MakeArray(child), type->field(k)->type()));
    child = decoded->data();
  }
  return arrow::MakeArray(std::move(data));
}

bool SameLayout(arrow::Type::type a, arrow::Type::type b) {
  return a == b || (a == arrow::Type::MAP && b == arrow::Type::LIST) ||
         (a == arrow::Type::LIST && b == arrow::Type::MAP);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Array>> DecodeArray(
    const std::shared_ptr<arrow::Array>& stored,
    const std::shared_ptr<arrow::DataType>& type) {
  using arrow::Type;
  // Field names and metadata nested in the type count: Parquet renames list children.
  if (stored->type()->Equals(*type, /*check_metadata=*/true)) return stored;
  switch (type->id()) {
    case Type::INTERVAL_MONTHS:
      if (stored->type_id() != Type::INT32) return Mismatch(*stored, *type);
      return stored->View(type);
    case Type::INTERVAL_DAY_TIME:
      return DecodeDayTime(*stored, type);
    case Type::INTERVAL_MONTH_DAY_NANO:
      return DecodeMonthDayNano(*stored, type);
    case Type::RUN_END_ENCODED: {
      const auto& ree = static_cast<const arrow::RunEndEncodedType&>(*type);
      ARROW_ASSIGN_OR_RAISE(auto values, DecodeArray(stored, ree.value_type()));
      return EncodeRuns(values, type);
    }
    case Type::SPARSE_UNION:
    case Type::DENSE_UNION:
      return DecodeUnion(stored, type);
    case Type::DICTIONARY: {
      if (stored->type_id() == Type::DICTIONARY) break;  // another index type: a cast
      const auto& dictionary = static_cast<const arrow::DictionaryType&>(*type);
      ARROW_ASSIGN_OR_RAISE(auto dense, DecodeArray(stored, dictionary.value_type()));
      return ReencodeDictionary(dense, type);
    }
    case Type::EXTENSION: {
      const auto& extension = static_cast<const arrow::ExtensionType&>(*type);
      ARROW_ASSIGN_OR_RAISE(auto storage, DecodeArray(stored, extension.storage_type()));
      return arrow::ExtensionType::WrapArray(type, storage);
    }
    case Type::STRUCT:
      if (type->num_fields() == 0) {
        if (stored->type_id() != Type::BOOL) return Mismatch(*stored, *type);
        ARROW_ASSIGN_OR_RAISE(auto validity, Validity(*stored));
        return arrow::MakeArray(arrow::ArrayData::Make(
            type, stored->length(), {std::move(validity)}, stored->null_count()));
      }
      if (stored->type_id() != Type::STRUCT) return Mismatch(*stored, *type);
      return DecodeChildren(stored, type);
    case Type::MAP:
    case Type::LIST:
    case Type::LARGE_LIST:
    case Type::LIST_VIEW:
    case Type::LARGE_LIST_VIEW:
    case Type::FIXED_SIZE_LIST:
      if (!SameLayout(stored->type_id(), type->id())) break;
      return DecodeChildren(stored, type);
    default:
      break;
  }
  // Where Parquet reads a type differently (date64 as date32...), a cast restores it.
  if (!cp::CanCast(*stored->type(), *type)) return Mismatch(*stored, *type);
  auto cast = cp::Cast(*stored, type);
  if (!cast.ok()) return Mismatch(*stored, *type);
  return cast;
}

}  // namespace quiver::store
