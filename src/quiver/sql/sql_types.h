#pragma once

/// \file
/// How Arrow types are named in SQL (the engine's names) and described to XDBC
/// clients. The full mapping, both ways, is the table in docs/sql.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/type_fwd.h>

namespace quiver::sql {

/// \brief The SQL name of a column of this Arrow type ("BIGINT", "VARCHAR",
/// "DECIMAL(18,3)", "TIMESTAMP WITH TIME ZONE", "INTEGER[]"...).
std::string SqlTypeName(const arrow::DataType& type);

/// \brief Precision (digits, or characters for fixed-size types) when the type has
/// one; scale for decimals.
std::optional<int32_t> SqlPrecision(const arrow::DataType& type);
std::optional<int32_t> SqlScale(const arrow::DataType& type);

/// \brief One row of GetXdbcTypeInfo.
struct XdbcType {
  std::string_view name;
  int32_t data_type;      // XdbcDataType
  int32_t sql_data_type;  // the same, or XDBC_DATETIME for date and time types
  std::optional<int32_t> datetime_subcode;
  std::optional<int32_t> column_size;
  std::optional<std::string_view> literal_quote;  // "'" for text-like literals
  bool numeric = false;
};

/// \brief The types of the engine that Arrow results carry.
const std::vector<XdbcType>& XdbcTypes();

}  // namespace quiver::sql
