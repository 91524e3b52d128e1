#include "quiver/sql/sql_info.h"

#include <utility>
#include <variant>

#include <arrow/array.h>
#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_nested.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/buffer_builder.h>
#include <arrow/type.h>

namespace quiver::sql {
namespace {

using arrow::field;

// The union members, by type code (0..5).
using StringList = std::vector<std::string>;
struct Bitmask {
  int32_t value;
};
using Value = std::variant<std::string, bool, int64_t, Bitmask, StringList>;

std::shared_ptr<arrow::DataType> ValueType() {
  return arrow::dense_union(
      {field("string_value", arrow::utf8(), false),
       field("bool_value", arrow::boolean(), false),
       field("bigint_value", arrow::int64(), false),
       field("int32_bitmask", arrow::int32(), false),
       field("string_list", arrow::list(arrow::utf8()), false),
       field("int32_to_int32_list_map",
             arrow::map(arrow::int32(), arrow::list(arrow::int32())), false)},
      {0, 1, 2, 3, 4, 5});
}

std::vector<std::pair<uint32_t, Value>> KnownInfo(const ServerIdentity& server) {
  // Values of the specification's enums: SqlSupportedCaseSensitivity 1 = case
  // insensitive; SqlNullOrdering 3 = sorted at end; SqlSupportedTransaction 0 = none.
  return {
      {kServerName, server.name},
      {kServerVersion, server.version},
      {kServerArrowVersion, server.arrow_version},
      {kServerReadOnly, true},
      {kServerSql, true},
      {kServerSubstrait, false},
      {kServerTransaction, Bitmask{0}},
      {kServerCancel, false},
      {kServerBulkIngestion, false},
      {kServerIngestTransactionsSupported, false},
      {kServerStatementTimeout,
       Bitmask{static_cast<int32_t>(server.statement_timeout_s)}},
      {kServerTransactionTimeout, Bitmask{0}},
      {kSqlDdlCatalog, false},
      {kSqlDdlSchema, false},
      {kSqlDdlTable, false},
      {kSqlIdentifierCase, Bitmask{1}},
      {kSqlIdentifierQuoteChar, std::string("\"")},
      {kSqlQuotedIdentifierCase, Bitmask{1}},
      {kSqlAllTablesAreSelectable, true},
      {kSqlNullOrdering, Bitmask{3}},
      {kSqlKeywords,
       StringList{"ASOF", "EXCLUDE", "PIVOT", "QUALIFY", "REPLACE", "UNPIVOT"}},
      {kSqlNumericFunctions,
       StringList{"abs", "ceil", "floor", "round", "sqrt", "ln", "log", "pow", "sign"}},
      {kSqlStringFunctions, StringList{"concat", "length", "lower", "upper", "substring",
                                       "trim", "replace", "strpos"}},
      {kSqlSystemFunctions, StringList{"coalesce", "nullif", "typeof"}},
      {kSqlDatetimeFunctions, StringList{"current_date", "date_part", "date_trunc",
                                         "extract", "now", "strftime"}},
      {kSqlSearchStringEscape, std::string("\\")},
      {kSqlExtraNameCharacters, std::string("")},
      {kSqlSupportsColumnAliasing, true},
      {kSqlNullPlusNullIsNull, true},
      {kSqlSupportsTableCorrelationNames, true},
      {kSqlSupportsExpressionsInOrderBy, true},
      {kSqlSupportsLikeEscapeClause, true},
      {kSqlSupportsNonNullableColumns, true},
      {kSqlSchemaTerm, std::string("schema")},
      {kSqlProcedureTerm, std::string("procedure")},
      {kSqlCatalogTerm, std::string("catalog")},
      {kSqlCatalogAtStart, true},
      {kSqlSelectForUpdateSupported, false},
      {kSqlStoredProceduresSupported, false},
      {kSqlCorrelatedSubqueriesSupported, true},
      {kSqlMaxColumnNameLength, int64_t{0}},
      {kSqlMaxTableNameLength, int64_t{0}},
      {kSqlTransactionsSupported, false},
      {kSqlBatchUpdatesSupported, false},
      {kSqlSavepointsSupported, false},
      {kSqlNamedParametersSupported, false},
      {kSqlLocatorsUpdateCopy, false},
      {kSqlStoredFunctionsUsingCallSyntaxSupported, false},
  };
}

}  // namespace

std::shared_ptr<arrow::Schema> SqlInfoSchema() {
  return arrow::schema(
      {field("info_name", arrow::uint32(), false), field("value", ValueType(), false)});
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeSqlInfo(
    const ServerIdentity& server, const std::vector<uint32_t>& codes) {
  auto known = KnownInfo(server);
  std::vector<const std::pair<uint32_t, Value>*> rows;
  if (codes.empty()) {
    for (const auto& entry : known) rows.push_back(&entry);
  } else {
    for (uint32_t code : codes) {
      for (const auto& entry : known) {
        if (entry.first == code) rows.push_back(&entry);
      }
    }
  }
  arrow::UInt32Builder names;
  arrow::TypedBufferBuilder<int8_t> type_ids;
  arrow::TypedBufferBuilder<int32_t> offsets;
  arrow::StringBuilder strings;
  arrow::BooleanBuilder bools;
  arrow::Int64Builder bigints;
  arrow::Int32Builder bitmasks;
  arrow::ListBuilder lists(arrow::default_memory_pool(),
                           std::make_shared<arrow::StringBuilder>());
  auto& list_items = *static_cast<arrow::StringBuilder*>(lists.value_builder());
  for (const auto* row : rows) {
    ARROW_RETURN_NOT_OK(names.Append(row->first));
    const Value& value = row->second;
    auto code = static_cast<int8_t>(value.index());
    ARROW_RETURN_NOT_OK(type_ids.Append(code));
    int32_t offset = 0;
    if (const auto* text = std::get_if<std::string>(&value)) {
      offset = static_cast<int32_t>(strings.length());
      ARROW_RETURN_NOT_OK(strings.Append(*text));
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      offset = static_cast<int32_t>(bools.length());
      ARROW_RETURN_NOT_OK(bools.Append(*flag));
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
      offset = static_cast<int32_t>(bigints.length());
      ARROW_RETURN_NOT_OK(bigints.Append(*number));
    } else if (const auto* mask = std::get_if<Bitmask>(&value)) {
      offset = static_cast<int32_t>(bitmasks.length());
      ARROW_RETURN_NOT_OK(bitmasks.Append(mask->value));
    } else {
      offset = static_cast<int32_t>(lists.length());
      ARROW_RETURN_NOT_OK(lists.Append());
      for (const auto& item : std::get<StringList>(value)) {
        ARROW_RETURN_NOT_OK(list_items.Append(item));
      }
    }
    ARROW_RETURN_NOT_OK(offsets.Append(offset));
  }
  arrow::ArrayVector children(6);
  ARROW_RETURN_NOT_OK(strings.Finish(&children[0]));
  ARROW_RETURN_NOT_OK(bools.Finish(&children[1]));
  ARROW_RETURN_NOT_OK(bigints.Finish(&children[2]));
  ARROW_RETURN_NOT_OK(bitmasks.Finish(&children[3]));
  ARROW_RETURN_NOT_OK(lists.Finish(&children[4]));
  ARROW_ASSIGN_OR_RAISE(children[5], arrow::MakeEmptyArray(arrow::map(
                                         arrow::int32(), arrow::list(arrow::int32()))));
  std::shared_ptr<arrow::Array> info_names;
  ARROW_RETURN_NOT_OK(names.Finish(&info_names));
  int64_t length = info_names->length();
  ARROW_ASSIGN_OR_RAISE(auto ids, type_ids.Finish());
  ARROW_ASSIGN_OR_RAISE(auto value_offsets, offsets.Finish());
  auto values = std::make_shared<arrow::DenseUnionArray>(ValueType(), length, children,
                                                         ids, value_offsets);
  ARROW_RETURN_NOT_OK(values->ValidateFull());
  return arrow::RecordBatch::Make(SqlInfoSchema(), length, {info_names, values});
}

}  // namespace quiver::sql
