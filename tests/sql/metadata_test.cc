// The Flight SQL metadata tables: the exact schemas, the filters, valid arrays.

#include "quiver/sql/metadata.h"

#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/dictionary.h>
#include <arrow/ipc/reader.h>
#include <arrow/type.h>
#include <arrow/util/key_value_metadata.h>

#include "quiver/sql/handle_registry.h"
#include "quiver/sql/sql_info.h"

#include "testing/assert.h"

namespace quiver::sql {
namespace {

TEST(MatchesLike, Patterns) {
  EXPECT_TRUE(MatchesLike("%", ""));
  EXPECT_TRUE(MatchesLike("%", "sales/2024"));
  EXPECT_TRUE(MatchesLike("sales%", "sales/2024"));
  EXPECT_FALSE(MatchesLike("sales%", "my_sales"));
  EXPECT_TRUE(MatchesLike("%2024", "sales/2024"));
  EXPECT_TRUE(MatchesLike("s_les/%", "sales/2024"));
  EXPECT_FALSE(MatchesLike("s_les", "sles"));
  EXPECT_TRUE(MatchesLike("a%b%c", "axxbyyc"));
  EXPECT_FALSE(MatchesLike("a%b%c", "axxbyy"));
  EXPECT_TRUE(MatchesLike("my\\_t", "my_t"));
  EXPECT_FALSE(MatchesLike("my\\_t", "myxt"));
  EXPECT_TRUE(MatchesLike("main", "main"));
  EXPECT_FALSE(MatchesLike("", "x"));
}

std::vector<TableEntry> SomeTables() {
  auto schema = arrow::schema({arrow::field("id", arrow::int64(), false),
                               arrow::field("price", arrow::decimal128(12, 2))});
  return {{"sales/2024", schema}, {"trips", schema}, {"sales/2023", schema}};
}

TEST(Metadata, TablesAreSortedAndFiltered) {
  TablesRequest request;
  ASSERT_OK_AND_ASSIGN(auto all, MakeTables(request, SomeTables()));
  ASSERT_OK(all->ValidateFull());
  EXPECT_TRUE(all->schema()->Equals(*TablesSchema(false)));
  ASSERT_EQ(all->num_rows(), 3);
  auto names = std::static_pointer_cast<arrow::StringArray>(all->column(2));
  EXPECT_EQ(names->GetString(0), "sales/2023");
  EXPECT_EQ(names->GetString(2), "trips");

  request.table_pattern = "sales%";
  ASSERT_OK_AND_ASSIGN(auto sales, MakeTables(request, SomeTables()));
  EXPECT_EQ(sales->num_rows(), 2);
  request.table_pattern.reset();
  request.catalog = "elsewhere";
  ASSERT_OK_AND_ASSIGN(auto none, MakeTables(request, SomeTables()));
  EXPECT_EQ(none->num_rows(), 0);
  request.catalog.reset();
  request.table_types = {"VIEW"};
  ASSERT_OK_AND_ASSIGN(none, MakeTables(request, SomeTables()));
  EXPECT_EQ(none->num_rows(), 0);
}

TEST(Metadata, IncludeSchemaCarriesColumnMetadata) {
  TablesRequest request;
  request.include_schema = true;
  request.table_pattern = "trips";
  ASSERT_OK_AND_ASSIGN(auto tables, MakeTables(request, SomeTables()));
  ASSERT_OK(tables->ValidateFull());
  EXPECT_TRUE(tables->schema()->Equals(*TablesSchema(true)));
  ASSERT_EQ(tables->num_rows(), 1);
  auto serialized = std::static_pointer_cast<arrow::BinaryArray>(tables->column(4));
  arrow::io::BufferReader input(arrow::Buffer::FromString(serialized->GetString(0)));
  arrow::ipc::DictionaryMemo memo;
  ASSERT_OK_AND_ASSIGN(auto schema, arrow::ipc::ReadSchema(&input, &memo));
  ASSERT_EQ(schema->num_fields(), 2);
  EXPECT_FALSE(schema->field(0)->nullable());
  auto metadata = schema->field(1)->metadata();
  ASSERT_NE(metadata, nullptr);
  EXPECT_EQ(metadata->Get("ARROW:FLIGHT:SQL:TABLE_NAME").ValueOr(""), "trips");
  EXPECT_EQ(metadata->Get("ARROW:FLIGHT:SQL:TYPE_NAME").ValueOr(""), "DECIMAL(12,2)");
  EXPECT_EQ(metadata->Get("ARROW:FLIGHT:SQL:PRECISION").ValueOr(""), "12");
  EXPECT_EQ(metadata->Get("ARROW:FLIGHT:SQL:SCALE").ValueOr(""), "2");
}

TEST(Metadata, CatalogsSchemasAndTypes) {
  ASSERT_OK_AND_ASSIGN(auto catalogs, MakeCatalogs());
  EXPECT_TRUE(catalogs->schema()->Equals(*CatalogsSchema()));
  EXPECT_EQ(catalogs->num_rows(), 1);
  ASSERT_OK_AND_ASSIGN(auto schemas, MakeDbSchemas(std::nullopt, std::nullopt));
  EXPECT_EQ(schemas->num_rows(), 1);
  ASSERT_OK_AND_ASSIGN(schemas, MakeDbSchemas(std::string("quiver"), std::string("x%")));
  EXPECT_EQ(schemas->num_rows(), 0);
  ASSERT_OK_AND_ASSIGN(auto types, MakeTableTypes());
  EXPECT_EQ(types->num_rows(), 1);
  ASSERT_OK_AND_ASSIGN(auto keys, MakeEmpty(KeysSchema()));
  EXPECT_EQ(keys->num_columns(), 13);
}

TEST(Metadata, XdbcTypeInfoIsValid) {
  ASSERT_OK_AND_ASSIGN(auto all, MakeXdbcTypeInfo(std::nullopt));
  ASSERT_OK(all->ValidateFull());
  EXPECT_TRUE(all->schema()->Equals(*XdbcTypeInfoSchema()));
  EXPECT_GT(all->num_rows(), 10);
  ASSERT_OK_AND_ASSIGN(auto bigint, MakeXdbcTypeInfo(-5));
  ASSERT_EQ(bigint->num_rows(), 1);
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(bigint->column(0))->GetString(0),
            "BIGINT");
}

TEST(SqlInfo, SchemaAndValues) {
  ServerIdentity server;
  server.version = "1.2.3";
  ASSERT_OK_AND_ASSIGN(auto all, MakeSqlInfo(server, {}));
  ASSERT_OK(all->ValidateFull());
  EXPECT_TRUE(all->schema()->Equals(*SqlInfoSchema()));
  EXPECT_GT(all->num_rows(), 40);
  // Asked codes come in the order asked; unknown ones are left out.
  ASSERT_OK_AND_ASSIGN(auto some, MakeSqlInfo(server, {kSqlIdentifierQuoteChar, 99999,
                                                       kServerVersion, kServerReadOnly}));
  ASSERT_OK(some->ValidateFull());
  ASSERT_EQ(some->num_rows(), 3);
  auto codes = std::static_pointer_cast<arrow::UInt32Array>(some->column(0));
  EXPECT_EQ(codes->Value(0), kSqlIdentifierQuoteChar);
  EXPECT_EQ(codes->Value(1), kServerVersion);
  auto values = std::static_pointer_cast<arrow::DenseUnionArray>(some->column(1));
  EXPECT_EQ(values->type_code(0), 0);  // string_value
  EXPECT_EQ(values->type_code(2), 1);  // bool_value
  auto strings = std::static_pointer_cast<arrow::StringArray>(values->field(0));
  EXPECT_EQ(strings->GetString(values->value_offset(0)), "\"");
  EXPECT_EQ(strings->GetString(values->value_offset(1)), "1.2.3");
}

TEST(HandleRegistry, OwnersCapacityAndTake) {
  HandleRegistry<int> registry(2, std::chrono::hours(1));
  std::string a = registry.Put("alice", std::make_shared<int>(1));
  EXPECT_EQ(a.size(), 32u);
  ASSERT_OK_AND_ASSIGN(auto value, registry.Get(a, "alice"));
  EXPECT_EQ(*value, 1);
  // Someone else's handle is unknown to them.
  EXPECT_TRUE(registry.Get(a, "bob").status().IsKeyError());
  std::string b = registry.Put("alice", std::make_shared<int>(2));
  EXPECT_NE(a, b);
  ASSERT_OK(registry.Get(a, "alice").status());  // a is now the more recent
  std::string c = registry.Put("bob", std::make_shared<int>(3));
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_TRUE(registry.Get(b, "alice").status().IsKeyError());  // evicted, oldest
  ASSERT_OK_AND_ASSIGN(value, registry.Take(c, "bob"));
  EXPECT_EQ(*value, 3);
  EXPECT_TRUE(registry.Get(c, "bob").status().IsKeyError());
}

TEST(HandleRegistry, IdleEntriesExpire) {
  HandleRegistry<int> registry(8, std::chrono::nanoseconds(0));
  std::string a = registry.Put("alice", std::make_shared<int>(1));
  // With no idle time allowed, any later call finds the entry expired.
  registry.Put("bob", std::make_shared<int>(2));
  EXPECT_TRUE(registry.Get(a, "alice").status().IsKeyError());
}

}  // namespace
}  // namespace quiver::sql
