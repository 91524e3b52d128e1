// Write statements read by DuckDB's own parser (its C++ API: the C API names a
// statement's type but neither its target nor its query). quiver parses nothing
// itself: it reads the parser's tree and hands the query back to DuckDB as the text
// the parser prints. DuckDB's C++ API throws; nothing escapes this file.

#include <exception>
#include <string>
#include <utility>

#include <duckdb/common/enums/on_create_conflict.hpp>
#include <duckdb/parser/constraints/not_null_constraint.hpp>
#include <duckdb/parser/parsed_data/create_table_info.hpp>
#include <duckdb/parser/parsed_data/drop_info.hpp>
#include <duckdb/parser/parser.hpp>
#include <duckdb/parser/query_node/insert_query_node.hpp>
#include <duckdb/parser/statement/create_statement.hpp>
#include <duckdb/parser/statement/drop_statement.hpp>
#include <duckdb/parser/statement/insert_statement.hpp>
#include <duckdb/parser/statement/select_statement.hpp>

#include "quiver/sql/duckdb/duckdb_write_parser_internal.h"

namespace quiver::sql::duckdb_internal {
namespace {

const std::string& Text(const duckdb::Identifier& identifier) {
  return identifier.GetIdentifierName();
}

// The table of a write: quiver's one catalog and schema, or none named.
arrow::Result<std::string> TableOf(const duckdb::QualifiedName& name,
                                   std::string_view what) {
  const std::string& catalog = Text(name.Catalog());
  const std::string& schema = Text(name.Schema());
  if (!catalog.empty() && catalog != "quiver") {
    return arrow::Status::Invalid(what, ": catalog '", catalog,
                                  "' is not quiver's (its only catalog is 'quiver')");
  }
  if (!schema.empty() && schema != "main") {
    return arrow::Status::Invalid(what, ": schema '", schema,
                                  "' is not quiver's (its only schema is 'main')");
  }
  if (Text(name.Name()).empty()) return arrow::Status::Invalid(what, ": no table named");
  return Text(name.Name());
}

// "SELECT CAST(NULL AS t1) AS "c1", ... LIMIT 0": the schema of declared columns,
// as DuckDB types them.
std::string EmptyQuery(const duckdb::ColumnList& columns) {
  std::string select = "SELECT ";
  bool first = true;
  for (const auto& column : columns.Logical()) {
    if (!first) select += ", ";
    first = false;
    std::string name = Text(column.Name());
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    select += "CAST(NULL AS " + column.Type().ToString() + ") AS " + quoted;
  }
  return select + " LIMIT 0";
}

arrow::Result<ParsedStatement> FromCreate(duckdb::CreateStatement& create) {
  if (create.info->type != duckdb::CatalogType::TABLE_ENTRY) {
    return ParsedStatement{};  // CREATE VIEW, SEQUENCE...: Prepare refuses them
  }
  auto& info = create.info->Cast<duckdb::CreateTableInfo>();
  if (info.temporary) {
    return arrow::Status::Invalid(
        "CREATE TEMPORARY TABLE is not served: every table is a dataset");
  }
  WriteStatement write;
  write.kind = WriteStatement::Kind::kCreateTable;
  ARROW_ASSIGN_OR_RAISE(write.table, TableOf(info.GetQualifiedName(), "CREATE TABLE"));
  switch (info.on_conflict) {
    case duckdb::OnCreateConflict::ERROR_ON_CONFLICT:
      write.on_conflict = WriteStatement::OnConflict::kError;
      break;
    case duckdb::OnCreateConflict::IGNORE_ON_CONFLICT:
      write.on_conflict = WriteStatement::OnConflict::kIgnore;
      break;
    case duckdb::OnCreateConflict::REPLACE_ON_CONFLICT:
      write.on_conflict = WriteStatement::OnConflict::kReplace;
      break;
    default:
      return arrow::Status::Invalid("CREATE TABLE: this conflict clause is not served");
  }
  if (info.query != nullptr) {
    write.query = info.query->ToString();
    return ParsedStatement{std::move(write)};
  }
  for (const auto& constraint : info.constraints) {
    if (constraint->type != duckdb::ConstraintType::NOT_NULL) {
      return arrow::Status::Invalid("CREATE TABLE '", write.table,
                                    "': constraints other than NOT NULL are not served (",
                                    constraint->ToString(), ")");
    }
    auto index = constraint->Cast<duckdb::NotNullConstraint>().index.index;
    duckdb::idx_t at = 0;
    for (const auto& column : info.columns.Logical()) {
      if (at++ == index) write.columns.push_back(Text(column.Name()));
    }
  }
  if (info.columns.LogicalColumnCount() == 0) {
    return arrow::Status::Invalid("CREATE TABLE '", write.table, "' declares no column");
  }
  write.query = EmptyQuery(info.columns);
  return ParsedStatement{std::move(write)};
}

arrow::Result<ParsedStatement> FromInsert(duckdb::InsertStatement& insert) {
  auto& node = *insert.node;
  WriteStatement write;
  write.kind = WriteStatement::Kind::kInsert;
  ARROW_ASSIGN_OR_RAISE(write.table, TableOf(node.qualified_name, "INSERT"));
  if (!node.returning_list.empty()) {
    return arrow::Status::Invalid("INSERT ... RETURNING is not served");
  }
  if (node.on_conflict_info != nullptr) {
    return arrow::Status::Invalid(
        "INSERT ... ON CONFLICT is not served: datasets have no keys");
  }
  if (node.default_values || node.select_statement == nullptr) {
    return arrow::Status::Invalid("INSERT ... DEFAULT VALUES is not served");
  }
  for (const auto& column : node.columns) write.columns.push_back(Text(column));
  write.by_name = node.column_order == duckdb::InsertColumnOrder::INSERT_BY_NAME;
  write.query = node.select_statement->ToString();
  return ParsedStatement{std::move(write)};
}

arrow::Result<ParsedStatement> FromDrop(duckdb::DropStatement& drop) {
  if (drop.info->type != duckdb::CatalogType::TABLE_ENTRY) return ParsedStatement{};
  WriteStatement write;
  write.kind = WriteStatement::Kind::kDropTable;
  ARROW_ASSIGN_OR_RAISE(write.table,
                        TableOf(drop.info->GetQualifiedName(), "DROP TABLE"));
  write.if_exists = drop.info->if_not_found != duckdb::OnEntryNotFound::THROW_EXCEPTION;
  return ParsedStatement{std::move(write)};
}

}  // namespace

arrow::Result<ParsedStatement> ParseWrite(std::string_view sql) {
  try {
    duckdb::Parser parser(duckdb::ParserOptions::Builtin());
    parser.ParseQuery(std::string(sql));
    if (parser.statements.size() != 1) return ParsedStatement{};
    auto& statement = *parser.statements[0];
    switch (statement.type) {
      case duckdb::StatementType::CREATE_STATEMENT:
        return FromCreate(statement.Cast<duckdb::CreateStatement>());
      case duckdb::StatementType::INSERT_STATEMENT:
        return FromInsert(statement.Cast<duckdb::InsertStatement>());
      case duckdb::StatementType::DROP_STATEMENT:
        return FromDrop(statement.Cast<duckdb::DropStatement>());
      default:
        return ParsedStatement{};
    }
  } catch (const std::exception&) {
    // The parser refuses the text: Prepare reports the error with its position.
    return ParsedStatement{};
  }
}

}  // namespace quiver::sql::duckdb_internal
