// The DuckDB engine behind sql::Engine, on tables held in memory: queries, projection,
// the core functions (the static-extension trap), parameters, and the lock-down.

#include "quiver/sql/duckdb/duckdb_engine.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/table.h>

#include "testing/assert.h"

namespace quiver::sql {
namespace {

// A table in memory: the columns asked for, in the order asked.
class MemorySource : public TableSource {
 public:
  explicit MemorySource(std::shared_ptr<arrow::Table> table) : table_(std::move(table)) {}
  const std::shared_ptr<arrow::Schema>& schema() const override {
    return table_->schema();
  }
  int64_t num_rows() const override { return table_->num_rows(); }
  int partitions() const override { return 1; }
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Open(
      const std::vector<int>& columns, int) const override {
    ARROW_ASSIGN_OR_RAISE(auto projected, table_->SelectColumns(columns));
    opened_columns.push_back(columns);
    return std::make_shared<arrow::TableBatchReader>(projected);
  }
  mutable std::vector<std::vector<int>> opened_columns;

 private:
  std::shared_ptr<arrow::Table> table_;
};

class MapResolver : public TableResolver {
 public:
  arrow::Result<std::shared_ptr<TableSource>> Resolve(std::string_view name) override {
    resolved.emplace_back(name);
    if (name == "secret") return arrow::Status::Invalid("not allowed to read 'secret'");
    auto it = tables.find(std::string(name));
    if (it == tables.end()) return arrow::Status::KeyError("no ", name);
    return it->second;
  }
  arrow::Result<std::shared_ptr<TableSource>> ResolveAt(std::string_view name,
                                                        const TableAt& at) override {
    asked_at.push_back(at);
    auto it = versions.find({std::string(name), at.value});
    if (it == versions.end()) return arrow::Status::KeyError("no such version");
    return it->second;
  }
  std::map<std::string, std::shared_ptr<MemorySource>> tables;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<MemorySource>> versions;
  std::vector<std::string> resolved;
  std::vector<TableAt> asked_at;
};

std::shared_ptr<arrow::Table> Numbers(int64_t n) {
  arrow::Int64Builder ids;
  arrow::StringBuilder names;
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_TRUE(ids.Append(i).ok());
    EXPECT_TRUE(names.Append("n" + std::to_string(i % 7)).ok());
  }
  auto schema = arrow::schema(
      {arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8())});
  return arrow::Table::Make(schema, {*ids.Finish(), *names.Finish()});
}

class DuckDbEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = MakeDuckDbEngine(EngineOptions::Defaults());
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = *engine;
    numbers_ = std::make_shared<MemorySource>(Numbers(10000));
    resolver_.tables["sales/2024"] = numbers_;
  }

  arrow::Result<std::shared_ptr<arrow::Table>> Run(const std::string& sql) {
    ARROW_ASSIGN_OR_RAISE(auto query, engine_->Prepare(sql, resolver_));
    ARROW_ASSIGN_OR_RAISE(auto reader, query->Execute());
    ARROW_ASSIGN_OR_RAISE(auto table, reader->ToTable());
    if (!table->schema()->Equals(*query->schema())) {
      return arrow::Status::Invalid("result schema ", table->schema()->ToString(),
                                    " differs from the prepared one ",
                                    query->schema()->ToString());
    }
    return table;
  }

  std::shared_ptr<Engine> engine_;
  std::shared_ptr<MemorySource> numbers_;
  MapResolver resolver_;
};

TEST_F(DuckDbEngineTest, CoreFunctionsAreRegistered) {
  // sum is "not in the catalog" when the static extensions were dropped by the linker.
  ASSERT_OK_AND_ASSIGN(auto table, Run("SELECT sum(x) AS s FROM range(10) t(x)"));
  ASSERT_EQ(table->num_rows(), 1);
  ASSERT_OK_AND_ASSIGN(auto s, table->column(0)->GetScalar(0));
  EXPECT_EQ(s->ToString(), "45");
}

TEST_F(DuckDbEngineTest, DatasetsAreScannedWithTheirColumnsOnly) {
  ASSERT_OK_AND_ASSIGN(auto table,
                       Run("SELECT count(*) AS n, max(name) AS m FROM \"sales/2024\""));
  ASSERT_OK_AND_ASSIGN(auto n, table->column(0)->GetScalar(0));
  EXPECT_EQ(n->ToString(), "10000");
  ASSERT_FALSE(numbers_->opened_columns.empty());
  EXPECT_EQ(numbers_->opened_columns.back(), std::vector<int>{1});  // name only
  ASSERT_OK_AND_ASSIGN(table, Run("SELECT id FROM \"sales/2024\" WHERE id % 1000 = 0"));
  EXPECT_EQ(table->num_rows(), 10);
  EXPECT_EQ(resolver_.resolved.back(), "sales/2024");
}

TEST_F(DuckDbEngineTest, LargeResultsStreamInSeveralBatches) {
  ASSERT_OK_AND_ASSIGN(auto query,
                       engine_->Prepare("SELECT * FROM \"sales/2024\"", resolver_));
  ASSERT_OK_AND_ASSIGN(auto reader, query->Execute());
  int batches = 0;
  int64_t rows = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto batch, reader->Next());
    if (batch == nullptr) break;
    ++batches;
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, 10000);
  EXPECT_GE(batches, 1);
}

TEST_F(DuckDbEngineTest, ParametersAreTypedAndBound) {
  ASSERT_OK_AND_ASSIGN(auto query,
                       engine_->Prepare("SELECT count(*) AS n FROM \"sales/2024\" "
                                        "WHERE id >= ? AND name = ?",
                                        resolver_));
  ASSERT_EQ(query->parameter_schema()->num_fields(), 2);
  EXPECT_EQ(query->parameter_schema()->field(0)->type()->id(), arrow::Type::INT64);
  arrow::Int64Builder low;
  arrow::StringBuilder name;
  ASSERT_OK(low.Append(9990));
  ASSERT_OK(name.Append("n3"));
  auto values =
      arrow::RecordBatch::Make(arrow::schema({arrow::field("a", arrow::int64()),
                                              arrow::field("b", arrow::utf8())}),
                               1, {*low.Finish(), *name.Finish()});
  ASSERT_OK(query->Bind(*values, 0));
  ASSERT_OK_AND_ASSIGN(auto reader, query->Execute());
  ASSERT_OK_AND_ASSIGN(auto table, reader->ToTable());
  ASSERT_OK_AND_ASSIGN(auto n, table->column(0)->GetScalar(0));
  EXPECT_EQ(n->ToString(), "2");  // 9992 and 9999
}

TEST_F(DuckDbEngineTest, ResolverErrorsFailTheStatement) {
  auto refused = engine_->Prepare("SELECT * FROM secret", resolver_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not allowed to read 'secret'"),
            std::string::npos)
      << refused.status().ToString();
  auto unknown = engine_->Prepare("SELECT * FROM nowhere", resolver_);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalid()) << unknown.status().ToString();
}

TEST_F(DuckDbEngineTest, TheLockDownRefusesFilesSettingsAndWrites) {
  for (const char* sql : {
           "SELECT * FROM read_csv('/etc/passwd')",
           "SELECT * FROM read_text('/etc/hostname')",
           "SELECT * FROM glob('/etc/*')",
           "SELECT * FROM '/etc/passwd'",
           "COPY (SELECT 1) TO '/tmp/quiver-engine-test.csv'",
           "EXPORT DATABASE '/tmp/quiver-engine-test'",
           "ATTACH '/tmp/quiver-engine-test.db' AS other",
           "INSTALL httpfs",
           "LOAD httpfs",
           "SET enable_external_access = true",
           "SELECT set_config('enable_external_access', 'true')",
           "PRAGMA threads=1",
           "CREATE TABLE t (x INTEGER)",
           "CREATE VIEW v AS SELECT 1",
           "SELECT 1; SELECT 2",
           "SELECT * FROM quiver_scan(0)",
       }) {
    auto result = Run(sql);
    EXPECT_FALSE(result.ok()) << sql;
    if (!result.ok()) {
      EXPECT_TRUE(result.status().IsInvalid())
          << sql << ": " << result.status().ToString();
    }
  }
  // Still serving.
  ASSERT_OK_AND_ASSIGN(auto table, Run("SELECT 42 AS answer"));
  EXPECT_EQ(table->num_rows(), 1);
}

TEST_F(DuckDbEngineTest, CancelStopsAQuery) {
  ASSERT_OK_AND_ASSIGN(
      auto query,
      engine_->Prepare("SELECT count(*) FROM range(100000000000) a", resolver_));
  ASSERT_OK_AND_ASSIGN(auto reader, query->Execute());
  query->Cancel();
  arrow::Status status = reader->ToTable().status();
  EXPECT_FALSE(status.ok());
}

TEST_F(DuckDbEngineTest, TimeTravelFunctionsResolveAVersionOrATime) {
  resolver_.versions[{"sales/2024", 3}] = std::make_shared<MemorySource>(Numbers(5));
  ASSERT_OK_AND_ASSIGN(
      auto table, Run("SELECT count(*) AS n FROM dataset_at_version('sales/2024', 3)"));
  EXPECT_EQ(table->column(0)->GetScalar(0).ValueOrDie()->ToString(), "5");
  // 2024-01-01 00:00:00 UTC, in microseconds.
  resolver_.versions[{"sales/2024", 1704067200000000}] =
      std::make_shared<MemorySource>(Numbers(2));
  ASSERT_OK_AND_ASSIGN(table, Run("SELECT max(id) AS m FROM dataset_as_of('sales/2024', "
                                  "TIMESTAMPTZ '2024-01-01 00:00:00+00')"));
  EXPECT_EQ(table->column(0)->GetScalar(0).ValueOrDie()->ToString(), "1");
  ASSERT_EQ(resolver_.asked_at.size(), 2u);
  EXPECT_EQ(resolver_.asked_at[1].kind, TableAt::Kind::kAsOf);
  // What the resolver does not know fails the statement, with its status.
  auto missing =
      engine_->Prepare("SELECT * FROM dataset_at_version('sales/2024', 9)", resolver_);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsKeyError()) << missing.status().ToString();
}

TEST_F(DuckDbEngineTest, WritesAreReadByTheEnginesParser) {
  ASSERT_OK_AND_ASSIGN(auto parsed,
                       engine_->Parse("CREATE OR REPLACE TABLE \"sales/copy\" AS "
                                      "SELECT id FROM \"sales/2024\" WHERE id < ?"));
  ASSERT_TRUE(parsed.write.has_value());
  EXPECT_EQ(parsed.write->kind, WriteStatement::Kind::kCreateTable);
  EXPECT_EQ(parsed.write->table, "sales/copy");
  EXPECT_EQ(parsed.write->on_conflict, WriteStatement::OnConflict::kReplace);
  // The query the parser prints prepares, its parameter in place.
  ASSERT_OK_AND_ASSIGN(auto query, engine_->Prepare(parsed.write->query, resolver_));
  EXPECT_EQ(query->parameter_schema()->num_fields(), 1);

  ASSERT_OK_AND_ASSIGN(parsed,
                       engine_->Parse("INSERT INTO main.log (b, a) VALUES (1, 2)"));
  ASSERT_TRUE(parsed.write.has_value());
  EXPECT_EQ(parsed.write->kind, WriteStatement::Kind::kInsert);
  EXPECT_EQ(parsed.write->table, "log");
  EXPECT_EQ(parsed.write->columns, (std::vector<std::string>{"b", "a"}));
  ASSERT_OK_AND_ASSIGN(query, engine_->Prepare(parsed.write->query, resolver_));
  EXPECT_EQ(query->schema()->num_fields(), 2);

  ASSERT_OK_AND_ASSIGN(parsed,
                       engine_->Parse("CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR)"));
  ASSERT_TRUE(parsed.write.has_value());
  EXPECT_EQ(parsed.write->columns, std::vector<std::string>{"a"});
  ASSERT_OK_AND_ASSIGN(auto empty, Run(parsed.write->query));
  EXPECT_EQ(empty->num_rows(), 0);
  EXPECT_EQ(empty->schema()->field(0)->type()->id(), arrow::Type::INT32);

  ASSERT_OK_AND_ASSIGN(parsed, engine_->Parse("DROP TABLE IF EXISTS quiver.main.t"));
  ASSERT_TRUE(parsed.write.has_value());
  EXPECT_EQ(parsed.write->kind, WriteStatement::Kind::kDropTable);
  EXPECT_TRUE(parsed.write->if_exists);

  // Not writes quiver runs: queries, other statements, text the parser refuses.
  for (const char* other : {"SELECT 1", "DELETE FROM t", "CREATE VIEW v AS SELECT 1",
                            "SELEC 1", "SELECT 1; DROP TABLE t"}) {
    ASSERT_OK_AND_ASSIGN(parsed, engine_->Parse(other));
    EXPECT_FALSE(parsed.write.has_value()) << other;
  }
  // Writes it cannot run as asked: refused, saying why.
  for (const char* refused :
       {"CREATE TEMP TABLE t AS SELECT 1", "CREATE TABLE other.t AS SELECT 1",
        "CREATE TABLE t (a INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1) RETURNING *",
        "INSERT INTO t DEFAULT VALUES"}) {
    auto result = engine_->Parse(refused);
    EXPECT_TRUE(result.status().IsInvalid()) << refused << ": " << result.status();
  }
}

}  // namespace
}  // namespace quiver::sql
