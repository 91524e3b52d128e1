#include "quiver/sql/sql_types.h"

#include <arrow/type.h>
#include <arrow/type_traits.h>
#include <arrow/util/checked_cast.h>

namespace quiver::sql {

using arrow::internal::checked_cast;

std::string SqlTypeName(const arrow::DataType& type) {
  using arrow::Type;
  switch (type.id()) {
    case Type::NA:
      return "NULL";
    case Type::BOOL:
      return "BOOLEAN";
    case Type::INT8:
      return "TINYINT";
    case Type::INT16:
      return "SMALLINT";
    case Type::INT32:
      return "INTEGER";
    case Type::INT64:
      return "BIGINT";
    case Type::UINT8:
      return "UTINYINT";
    case Type::UINT16:
      return "USMALLINT";
    case Type::UINT32:
      return "UINTEGER";
    case Type::UINT64:
      return "UBIGINT";
    case Type::HALF_FLOAT:
    case Type::FLOAT:
      return "FLOAT";
    case Type::DOUBLE:
      return "DOUBLE";
    case Type::STRING:
    case Type::LARGE_STRING:
    case Type::STRING_VIEW:
      return "VARCHAR";
    case Type::BINARY:
    case Type::LARGE_BINARY:
    case Type::BINARY_VIEW:
    case Type::FIXED_SIZE_BINARY:
      return "BLOB";
    case Type::DATE32:
    case Type::DATE64:
      return "DATE";
    case Type::TIME32:
    case Type::TIME64:
      return "TIME";
    case Type::TIMESTAMP:
      return checked_cast<const arrow::TimestampType&>(type).timezone().empty()
                 ? "TIMESTAMP"
                 : "TIMESTAMP WITH TIME ZONE";
    case Type::DURATION:
    case Type::INTERVAL_MONTH_DAY_NANO:
      return "INTERVAL";
    case Type::DECIMAL32:
    case Type::DECIMAL64:
    case Type::DECIMAL128:
    case Type::DECIMAL256: {
      const auto& decimal = checked_cast<const arrow::DecimalType&>(type);
      return "DECIMAL(" + std::to_string(decimal.precision()) + "," +
             std::to_string(decimal.scale()) + ")";
    }
    case Type::DICTIONARY:
      return SqlTypeName(*checked_cast<const arrow::DictionaryType&>(type).value_type());
    case Type::LIST:
    case Type::LARGE_LIST:
    case Type::LIST_VIEW:
    case Type::LARGE_LIST_VIEW:
    case Type::FIXED_SIZE_LIST:
      return SqlTypeName(*checked_cast<const arrow::BaseListType&>(type).value_type()) +
             "[]";
    case Type::STRUCT:
      return "STRUCT";
    case Type::MAP:
      return "MAP";
    default:
      return type.ToString();
  }
}

std::optional<int32_t> SqlPrecision(const arrow::DataType& type) {
  if (arrow::is_decimal(type.id())) {
    return checked_cast<const arrow::DecimalType&>(type).precision();
  }
  switch (type.id()) {
    case arrow::Type::INT8:
      return 3;
    case arrow::Type::INT16:
      return 5;
    case arrow::Type::INT32:
      return 10;
    case arrow::Type::INT64:
      return 19;
    case arrow::Type::FLOAT:
      return 24;
    case arrow::Type::DOUBLE:
      return 53;
    default:
      return std::nullopt;
  }
}

std::optional<int32_t> SqlScale(const arrow::DataType& type) {
  if (arrow::is_decimal(type.id())) {
    return checked_cast<const arrow::DecimalType&>(type).scale();
  }
  return std::nullopt;
}

const std::vector<XdbcType>& XdbcTypes() {
  // XdbcDataType codes of the Flight SQL specification.
  static const std::vector<XdbcType> kTypes = {
      {"BOOLEAN", -7, -7, std::nullopt, 1, std::nullopt, false},
      {"TINYINT", -6, -6, std::nullopt, 3, std::nullopt, true},
      {"SMALLINT", 5, 5, std::nullopt, 5, std::nullopt, true},
      {"INTEGER", 4, 4, std::nullopt, 10, std::nullopt, true},
      {"BIGINT", -5, -5, std::nullopt, 19, std::nullopt, true},
      {"FLOAT", 7, 7, std::nullopt, 24, std::nullopt, true},
      {"DOUBLE", 8, 8, std::nullopt, 53, std::nullopt, true},
      {"DECIMAL", 3, 3, std::nullopt, 38, std::nullopt, true},
      {"VARCHAR", 12, 12, std::nullopt, std::nullopt, "'", false},
      {"BLOB", -3, -3, std::nullopt, std::nullopt, "'", false},
      {"DATE", 91, 9, 1, 10, "'", false},
      {"TIME", 92, 9, 2, 15, "'", false},
      {"TIMESTAMP", 93, 9, 3, 26, "'", false},
  };
  return kTypes;
}

}  // namespace quiver::sql
