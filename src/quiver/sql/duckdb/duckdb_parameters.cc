// Bound parameters: one Arrow value into a DuckDB prepared statement.

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/checked_cast.h>

#include "quiver/sql/duckdb/duckdb_parameters_internal.h"

namespace quiver::sql::duckdb_internal {

arrow::Status BindParameter(duckdb_prepared_statement prepared, idx_t index,
                            const arrow::Scalar& scalar) {
  using arrow::Type;
  using arrow::internal::checked_cast;
  duckdb_state state = DuckDBError;
  if (!scalar.is_valid) {
    state = duckdb_bind_null(prepared, index);
  } else {
    switch (scalar.type->id()) {
      case Type::BOOL:
        state = duckdb_bind_boolean(
            prepared, index, checked_cast<const arrow::BooleanScalar&>(scalar).value);
        break;
      case Type::INT8:
      case Type::INT16:
      case Type::INT32:
      case Type::INT64:
      case Type::UINT8:
      case Type::UINT16:
      case Type::UINT32: {
        ARROW_ASSIGN_OR_RAISE(auto wide, scalar.CastTo(arrow::int64()));
        state = duckdb_bind_int64(prepared, index,
                                  checked_cast<const arrow::Int64Scalar&>(*wide).value);
        break;
      }
      case Type::UINT64:
        state = duckdb_bind_uint64(
            prepared, index, checked_cast<const arrow::UInt64Scalar&>(scalar).value);
        break;
      case Type::FLOAT:
        state = duckdb_bind_float(prepared, index,
                                  checked_cast<const arrow::FloatScalar&>(scalar).value);
        break;
      case Type::DOUBLE:
        state = duckdb_bind_double(
            prepared, index, checked_cast<const arrow::DoubleScalar&>(scalar).value);
        break;
      case Type::STRING:
      case Type::LARGE_STRING:
      case Type::STRING_VIEW:
      case Type::BINARY:
      case Type::LARGE_BINARY:
      case Type::BINARY_VIEW: {
        auto view = checked_cast<const arrow::BaseBinaryScalar&>(scalar).view();
        bool text = scalar.type->id() == Type::STRING ||
                    scalar.type->id() == Type::LARGE_STRING ||
                    scalar.type->id() == Type::STRING_VIEW;
        state =
            text ? duckdb_bind_varchar_length(prepared, index, view.data(), view.size())
                 : duckdb_bind_blob(prepared, index, view.data(), view.size());
        break;
      }
      case Type::DATE32:
        state = duckdb_bind_date(
            prepared, index,
            duckdb_date{checked_cast<const arrow::Date32Scalar&>(scalar).value});
        break;
      case Type::TIMESTAMP: {
        const auto& type = checked_cast<const arrow::TimestampType&>(*scalar.type);
        ARROW_ASSIGN_OR_RAISE(auto micros, scalar.CastTo(arrow::timestamp(
                                               arrow::TimeUnit::MICRO, type.timezone())));
        duckdb_timestamp value{
            checked_cast<const arrow::TimestampScalar&>(*micros).value};
        state = type.timezone().empty()
                    ? duckdb_bind_timestamp(prepared, index, value)
                    : duckdb_bind_timestamp_tz(prepared, index, value);
        break;
      }
      default:
        return arrow::Status::NotImplemented("a parameter of type ",
                                             scalar.type->ToString(), " cannot be bound");
    }
  }
  if (state != DuckDBSuccess) {
    return arrow::Status::Invalid("parameter ", index, " (", scalar.type->ToString(),
                                  ") does not fit the statement");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::sql::duckdb_internal
