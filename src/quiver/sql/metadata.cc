#include "quiver/sql/metadata.h"

#include <algorithm>
#include <utility>

#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_nested.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/buffer.h>
#include <arrow/ipc/writer.h>
#include <arrow/table_builder.h>
#include <arrow/type.h>
#include <arrow/util/key_value_metadata.h>

#include "quiver/sql/sql_types.h"

namespace quiver::sql {
namespace {

using arrow::field;

arrow::Status AppendOptional(arrow::StringBuilder& builder,
                             const std::optional<std::string_view>& value) {
  return value ? builder.Append(*value) : builder.AppendNull();
}

}  // namespace

std::shared_ptr<arrow::Schema> CatalogsSchema() {
  return arrow::schema({field("catalog_name", arrow::utf8(), false)});
}

std::shared_ptr<arrow::Schema> DbSchemasSchema() {
  return arrow::schema({field("catalog_name", arrow::utf8(), true),
                        field("db_schema_name", arrow::utf8(), false)});
}

std::shared_ptr<arrow::Schema> TablesSchema(bool include_schema) {
  arrow::FieldVector fields = {field("catalog_name", arrow::utf8(), true),
                               field("db_schema_name", arrow::utf8(), true),
                               field("table_name", arrow::utf8(), false),
                               field("table_type", arrow::utf8(), false)};
  if (include_schema) fields.push_back(field("table_schema", arrow::binary(), false));
  return arrow::schema(std::move(fields));
}

std::shared_ptr<arrow::Schema> TableTypesSchema() {
  return arrow::schema({field("table_type", arrow::utf8(), false)});
}

std::shared_ptr<arrow::Schema> PrimaryKeysSchema() {
  return arrow::schema({field("catalog_name", arrow::utf8(), true),
                        field("db_schema_name", arrow::utf8(), true),
                        field("table_name", arrow::utf8(), false),
                        field("column_name", arrow::utf8(), false),
                        field("key_name", arrow::utf8(), true),
                        field("key_sequence", arrow::int32(), false)});
}

std::shared_ptr<arrow::Schema> KeysSchema() {
  return arrow::schema({field("pk_catalog_name", arrow::utf8(), true),
                        field("pk_db_schema_name", arrow::utf8(), true),
                        field("pk_table_name", arrow::utf8(), false),
                        field("pk_column_name", arrow::utf8(), false),
                        field("fk_catalog_name", arrow::utf8(), true),
                        field("fk_db_schema_name", arrow::utf8(), true),
                        field("fk_table_name", arrow::utf8(), false),
                        field("fk_column_name", arrow::utf8(), false),
                        field("key_sequence", arrow::int32(), false),
                        field("fk_key_name", arrow::utf8(), true),
                        field("pk_key_name", arrow::utf8(), true),
                        field("update_rule", arrow::uint8(), false),
                        field("delete_rule", arrow::uint8(), false)});
}

std::shared_ptr<arrow::Schema> XdbcTypeInfoSchema() {
  return arrow::schema({
      field("type_name", arrow::utf8(), false),
      field("data_type", arrow::int32(), false),
      field("column_size", arrow::int32(), true),
      field("literal_prefix", arrow::utf8(), true),
      field("literal_suffix", arrow::utf8(), true),
      field("create_params", arrow::list(field("item", arrow::utf8(), false)), true),
      field("nullable", arrow::int32(), false),
      field("case_sensitive", arrow::boolean(), false),
      field("searchable", arrow::int32(), false),
      field("unsigned_attribute", arrow::boolean(), true),
      field("fixed_prec_scale", arrow::boolean(), false),
      field("auto_increment", arrow::boolean(), true),
      field("local_type_name", arrow::utf8(), true),
      field("minimum_scale", arrow::int32(), true),
      field("maximum_scale", arrow::int32(), true),
      field("sql_data_type", arrow::int32(), false),
      field("datetime_subcode", arrow::int32(), true),
      field("num_prec_radix", arrow::int32(), true),
      field("interval_precision", arrow::int32(), true),
  });
}

bool MatchesLike(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point for the last '%'.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
      continue;
    }
    if (p < pattern.size()) {
      char want = pattern[p];
      size_t width = 1;
      bool any = want == '_';
      if (want == '\\' && p + 1 < pattern.size()) {
        want = pattern[p + 1];
        width = 2;
        any = false;
      }
      if (any || want == text[t]) {
        p += width;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++mark;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeCatalogs() {
  arrow::StringBuilder names;
  ARROW_RETURN_NOT_OK(names.Append(kCatalogName));
  ARROW_ASSIGN_OR_RAISE(auto array, names.Finish());
  return arrow::RecordBatch::Make(CatalogsSchema(), 1, {array});
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeDbSchemas(
    const std::optional<std::string>& catalog, const std::optional<std::string>& filter) {
  arrow::StringBuilder catalogs, schemas;
  bool in_catalog = !catalog || catalog->empty() || *catalog == kCatalogName;
  if (in_catalog && (!filter || MatchesLike(*filter, kSchemaName))) {
    ARROW_RETURN_NOT_OK(catalogs.Append(kCatalogName));
    ARROW_RETURN_NOT_OK(schemas.Append(kSchemaName));
  }
  int64_t rows = schemas.length();
  ARROW_ASSIGN_OR_RAISE(auto c, catalogs.Finish());
  ARROW_ASSIGN_OR_RAISE(auto s, schemas.Finish());
  return arrow::RecordBatch::Make(DbSchemasSchema(), rows, {c, s});
}

std::shared_ptr<arrow::Schema> DescribeTableSchema(const TableEntry& table) {
  arrow::FieldVector fields;
  for (const auto& f : table.schema->fields()) {
    auto metadata = std::make_shared<arrow::KeyValueMetadata>();
    metadata->Append("ARROW:FLIGHT:SQL:CATALOG_NAME", std::string(kCatalogName));
    metadata->Append("ARROW:FLIGHT:SQL:DB_SCHEMA_NAME", std::string(kSchemaName));
    metadata->Append("ARROW:FLIGHT:SQL:TABLE_NAME", table.name);
    metadata->Append("ARROW:FLIGHT:SQL:TYPE_NAME", SqlTypeName(*f->type()));
    if (auto precision = SqlPrecision(*f->type())) {
      metadata->Append("ARROW:FLIGHT:SQL:PRECISION", std::to_string(*precision));
    }
    if (auto scale = SqlScale(*f->type())) {
      metadata->Append("ARROW:FLIGHT:SQL:SCALE", std::to_string(*scale));
    }
    metadata->Append("ARROW:FLIGHT:SQL:IS_AUTO_INCREMENT", "0");
    metadata->Append("ARROW:FLIGHT:SQL:IS_CASE_SENSITIVE",
                     f->type()->id() == arrow::Type::STRING ? "1" : "0");
    metadata->Append("ARROW:FLIGHT:SQL:IS_READ_ONLY", "1");
    metadata->Append("ARROW:FLIGHT:SQL:IS_SEARCHABLE", "1");
    fields.push_back(f->WithMetadata(metadata));
  }
  return arrow::schema(std::move(fields));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeTables(
    const TablesRequest& request, std::vector<TableEntry> tables) {
  std::sort(tables.begin(), tables.end(),
            [](const TableEntry& a, const TableEntry& b) { return a.name < b.name; });
  bool in_catalog =
      !request.catalog || request.catalog->empty() || *request.catalog == kCatalogName;
  bool in_schema =
      !request.schema_pattern || MatchesLike(*request.schema_pattern, kSchemaName);
  bool typed = request.table_types.empty() ||
               std::find(request.table_types.begin(), request.table_types.end(),
                         kTableType) != request.table_types.end();
  arrow::StringBuilder catalogs, schemas, names, types;
  arrow::BinaryBuilder serialized;
  if (in_catalog && in_schema && typed) {
    for (const auto& table : tables) {
      if (request.table_pattern && !MatchesLike(*request.table_pattern, table.name))
        continue;
      ARROW_RETURN_NOT_OK(catalogs.Append(kCatalogName));
      ARROW_RETURN_NOT_OK(schemas.Append(kSchemaName));
      ARROW_RETURN_NOT_OK(names.Append(table.name));
      ARROW_RETURN_NOT_OK(types.Append(kTableType));
      if (request.include_schema) {
        ARROW_ASSIGN_OR_RAISE(auto buffer,
                              arrow::ipc::SerializeSchema(*DescribeTableSchema(table)));
        ARROW_RETURN_NOT_OK(serialized.Append(buffer->data(), buffer->size()));
      }
    }
  }
  int64_t rows = names.length();
  arrow::ArrayVector columns(4);
  ARROW_RETURN_NOT_OK(catalogs.Finish(&columns[0]));
  ARROW_RETURN_NOT_OK(schemas.Finish(&columns[1]));
  ARROW_RETURN_NOT_OK(names.Finish(&columns[2]));
  ARROW_RETURN_NOT_OK(types.Finish(&columns[3]));
  if (request.include_schema) {
    columns.emplace_back();
    ARROW_RETURN_NOT_OK(serialized.Finish(&columns.back()));
  }
  return arrow::RecordBatch::Make(TablesSchema(request.include_schema), rows,
                                  std::move(columns));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeTableTypes() {
  arrow::StringBuilder types;
  ARROW_RETURN_NOT_OK(types.Append(kTableType));
  ARROW_ASSIGN_OR_RAISE(auto array, types.Finish());
  return arrow::RecordBatch::Make(TableTypesSchema(), 1, {array});
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeXdbcTypeInfo(
    std::optional<int32_t> data_type) {
  auto schema = XdbcTypeInfoSchema();
  ARROW_ASSIGN_OR_RAISE(
      auto record, arrow::RecordBatchBuilder::Make(schema, arrow::default_memory_pool()));
  for (const XdbcType& type : XdbcTypes()) {
    if (data_type && *data_type != type.data_type) continue;
    auto& name = *record->GetFieldAs<arrow::StringBuilder>(0);
    ARROW_RETURN_NOT_OK(name.Append(type.name));
    ARROW_RETURN_NOT_OK(
        record->GetFieldAs<arrow::Int32Builder>(1)->Append(type.data_type));
    auto& size = *record->GetFieldAs<arrow::Int32Builder>(2);
    ARROW_RETURN_NOT_OK(type.column_size ? size.Append(*type.column_size)
                                         : size.AppendNull());
    ARROW_RETURN_NOT_OK(
        AppendOptional(*record->GetFieldAs<arrow::StringBuilder>(3), type.literal_quote));
    ARROW_RETURN_NOT_OK(
        AppendOptional(*record->GetFieldAs<arrow::StringBuilder>(4), type.literal_quote));
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::ListBuilder>(5)->AppendNull());
    ARROW_RETURN_NOT_OK(
        record->GetFieldAs<arrow::Int32Builder>(6)->Append(1));  // nullable
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::BooleanBuilder>(7)->Append(
        type.literal_quote.has_value()));
    ARROW_RETURN_NOT_OK(
        record->GetFieldAs<arrow::Int32Builder>(8)->Append(3));  // searchable
    auto& is_unsigned = *record->GetFieldAs<arrow::BooleanBuilder>(9);
    ARROW_RETURN_NOT_OK(type.numeric ? is_unsigned.Append(false)
                                     : is_unsigned.AppendNull());
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::BooleanBuilder>(10)->Append(false));
    auto& increment = *record->GetFieldAs<arrow::BooleanBuilder>(11);
    ARROW_RETURN_NOT_OK(type.numeric ? increment.Append(false) : increment.AppendNull());
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::StringBuilder>(12)->Append(type.name));
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::Int32Builder>(13)->AppendNull());
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::Int32Builder>(14)->AppendNull());
    ARROW_RETURN_NOT_OK(
        record->GetFieldAs<arrow::Int32Builder>(15)->Append(type.sql_data_type));
    auto& subcode = *record->GetFieldAs<arrow::Int32Builder>(16);
    ARROW_RETURN_NOT_OK(type.datetime_subcode ? subcode.Append(*type.datetime_subcode)
                                              : subcode.AppendNull());
    auto& radix = *record->GetFieldAs<arrow::Int32Builder>(17);
    ARROW_RETURN_NOT_OK(type.numeric ? radix.Append(10) : radix.AppendNull());
    ARROW_RETURN_NOT_OK(record->GetFieldAs<arrow::Int32Builder>(18)->AppendNull());
  }
  return record->Flush();
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeEmpty(
    const std::shared_ptr<arrow::Schema>& schema) {
  return arrow::RecordBatch::MakeEmpty(schema);
}

}  // namespace quiver::sql
