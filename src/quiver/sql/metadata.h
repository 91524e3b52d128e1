#pragma once

/// \file
/// The results of the Flight SQL metadata commands, with the exact schemas the Flight
/// SQL specification fixes (clients such as the ADBC driver check them), built from
/// what the caller may see. No Flight here: the server layer sends these tables.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::sql {

/// The one catalog and the one schema every dataset is reported in (docs/sql.md).
inline constexpr std::string_view kCatalogName = "quiver";
inline constexpr std::string_view kSchemaName = "main";
/// The only table type.
inline constexpr std::string_view kTableType = "TABLE";

/// \brief A table as GetTables reports it: a dataset's name and current schema.
struct TableEntry {
  std::string name;
  std::shared_ptr<arrow::Schema> schema;
};

std::shared_ptr<arrow::Schema> CatalogsSchema();
std::shared_ptr<arrow::Schema> DbSchemasSchema();
/// \param include_schema with the table_schema column (an IPC-serialized schema).
std::shared_ptr<arrow::Schema> TablesSchema(bool include_schema);
std::shared_ptr<arrow::Schema> TableTypesSchema();
std::shared_ptr<arrow::Schema> PrimaryKeysSchema();
/// Exported keys, imported keys and cross references share this schema.
std::shared_ptr<arrow::Schema> KeysSchema();
std::shared_ptr<arrow::Schema> XdbcTypeInfoSchema();

/// \brief Whether `text` matches the SQL LIKE `pattern` ('%' any run, '_' one
/// character, '\\' escapes the next one). Characters are compared byte by byte.
bool MatchesLike(std::string_view pattern, std::string_view text);

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeCatalogs();
/// \param filter the command's db_schema_filter_pattern; `catalog` its catalog.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeDbSchemas(
    const std::optional<std::string>& catalog, const std::optional<std::string>& filter);

/// \brief Filters of CommandGetTables.
struct TablesRequest {
  std::optional<std::string> catalog;
  std::optional<std::string> schema_pattern;
  std::optional<std::string> table_pattern;
  std::vector<std::string> table_types;  // empty: all
  bool include_schema = false;
};

/// \brief The GetTables result over `tables` (already limited to what the caller
/// may read), filtered as `request` asks, sorted by name.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeTables(
    const TablesRequest& request, std::vector<TableEntry> tables);

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeTableTypes();

/// \brief The schema a column of `table` is described with (include_schema): its
/// fields with the ARROW:FLIGHT:SQL:* metadata.
std::shared_ptr<arrow::Schema> DescribeTableSchema(const TableEntry& table);

/// \brief The types the engine offers, as XDBC describes them; `data_type` keeps
/// only the rows of that XDBC type code.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeXdbcTypeInfo(
    std::optional<int32_t> data_type);

/// \brief An empty batch of `schema` (the key commands: quiver has no keys).
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeEmpty(
    const std::shared_ptr<arrow::Schema>& schema);

}  // namespace quiver::sql
