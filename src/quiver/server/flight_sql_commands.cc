#include <optional>
#include <variant>

#include <arrow/util/config.h>

#include "quiver/server/flight_sql_commands_internal.h"
#include "quiver/sql/sql_info.h"

namespace quiver::server {
namespace {

namespace pb = flightsql::pb;
using flightsql::Command;

template <typename T>
std::optional<std::string> Optional(bool has, const T& value) {
  return has ? std::optional<std::string>(value) : std::nullopt;
}

}  // namespace

// The result schema of a metadata command; nullptr for other commands.
std::shared_ptr<arrow::Schema> MetadataSchema(const Command& command) {
  if (std::holds_alternative<pb::CommandGetSqlInfo>(command)) return sql::SqlInfoSchema();
  if (std::holds_alternative<pb::CommandGetCatalogs>(command))
    return sql::CatalogsSchema();
  if (std::holds_alternative<pb::CommandGetDbSchemas>(command))
    return sql::DbSchemasSchema();
  if (const auto* tables = std::get_if<pb::CommandGetTables>(&command)) {
    return sql::TablesSchema(tables->include_schema());
  }
  if (std::holds_alternative<pb::CommandGetTableTypes>(command)) {
    return sql::TableTypesSchema();
  }
  if (std::holds_alternative<pb::CommandGetXdbcTypeInfo>(command)) {
    return sql::XdbcTypeInfoSchema();
  }
  if (std::holds_alternative<pb::CommandGetPrimaryKeys>(command)) {
    return sql::PrimaryKeysSchema();
  }
  if (std::holds_alternative<pb::CommandGetExportedKeys>(command) ||
      std::holds_alternative<pb::CommandGetImportedKeys>(command) ||
      std::holds_alternative<pb::CommandGetCrossReference>(command)) {
    return sql::KeysSchema();
  }
  return nullptr;
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeMetadata(
    const Command& command, const std::string& server_version,
    const std::function<std::vector<sql::TableEntry>()>& list_tables) {
  if (const auto* info = std::get_if<pb::CommandGetSqlInfo>(&command)) {
    sql::ServerIdentity identity;
    identity.version = server_version;
    identity.arrow_version = ARROW_VERSION_STRING;
    return sql::MakeSqlInfo(
        identity, std::vector<uint32_t>(info->info().begin(), info->info().end()));
  }
  if (std::holds_alternative<pb::CommandGetCatalogs>(command)) return sql::MakeCatalogs();
  if (const auto* schemas = std::get_if<pb::CommandGetDbSchemas>(&command)) {
    return sql::MakeDbSchemas(Optional(schemas->has_catalog(), schemas->catalog()),
                              Optional(schemas->has_db_schema_filter_pattern(),
                                       schemas->db_schema_filter_pattern()));
  }
  if (const auto* tables = std::get_if<pb::CommandGetTables>(&command)) {
    sql::TablesRequest request;
    request.catalog = Optional(tables->has_catalog(), tables->catalog());
    request.schema_pattern = Optional(tables->has_db_schema_filter_pattern(),
                                      tables->db_schema_filter_pattern());
    request.table_pattern = Optional(tables->has_table_name_filter_pattern(),
                                     tables->table_name_filter_pattern());
    request.table_types.assign(tables->table_types().begin(),
                               tables->table_types().end());
    request.include_schema = tables->include_schema();
    return sql::MakeTables(request, list_tables());
  }
  if (std::holds_alternative<pb::CommandGetTableTypes>(command)) {
    return sql::MakeTableTypes();
  }
  if (const auto* types = std::get_if<pb::CommandGetXdbcTypeInfo>(&command)) {
    return sql::MakeXdbcTypeInfo(types->has_data_type()
                                     ? std::optional<int32_t>(types->data_type())
                                     : std::nullopt);
  }
  // The key commands: quiver's tables have no keys.
  return sql::MakeEmpty(MetadataSchema(command));
}

arrow::Result<sql::IngestMode> IngestModeOf(const pb::CommandStatementIngest& ingest) {
  if (ingest.temporary()) {
    return arrow::Status::NotImplemented(
        "ingest into a temporary table is not served: every table is a dataset");
  }
  if (ingest.has_catalog() && ingest.catalog() != "quiver") {
    return arrow::Status::Invalid("ingest: catalog '", ingest.catalog(),
                                  "' is not quiver's (its only catalog is 'quiver')");
  }
  if (ingest.has_schema() && ingest.schema() != "main") {
    return arrow::Status::Invalid("ingest: schema '", ingest.schema(),
                                  "' is not quiver's (its only schema is 'main')");
  }
  using Options = pb::CommandStatementIngest::TableDefinitionOptions;
  const auto& options = ingest.table_definition_options();
  sql::IngestMode mode;
  switch (options.if_exists()) {
    case Options::TABLE_EXISTS_OPTION_FAIL:
      mode.if_exists = sql::IngestMode::IfExists::kFail;
      break;
    case Options::TABLE_EXISTS_OPTION_APPEND:
      mode.if_exists = sql::IngestMode::IfExists::kAppend;
      break;
    case Options::TABLE_EXISTS_OPTION_REPLACE:
      mode.if_exists = sql::IngestMode::IfExists::kReplace;
      break;
    default:
      return arrow::Status::Invalid("ingest: if_exists must be FAIL, APPEND or REPLACE");
  }
  switch (options.if_not_exist()) {
    case Options::TABLE_NOT_EXIST_OPTION_CREATE:
      mode.if_missing = sql::IngestMode::IfMissing::kCreate;
      break;
    case Options::TABLE_NOT_EXIST_OPTION_FAIL:
      mode.if_missing = sql::IngestMode::IfMissing::kFail;
      break;
    default:
      return arrow::Status::Invalid("ingest: if_not_exist must be CREATE or FAIL");
  }
  return mode;
}

}  // namespace quiver::server
