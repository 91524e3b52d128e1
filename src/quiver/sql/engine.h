#pragma once

/// \file
/// The SQL engine behind quiver's Flight SQL front end, as an interface that knows
/// nothing of Flight, so that the engine could be swapped. The one implementation
/// embeds DuckDB (sql/duckdb/duckdb_engine.h), locked down: no files, no network, no
/// extensions, no settings, no catalog objects of its own.
///
/// Use: Prepare a statement with a TableResolver (which pins each dataset the
/// statement names), read its schemas, Bind parameters if it has any, Execute and
/// read the batches.

#include <cstdint>
#include <memory>
#include <string_view>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/sql/table_source.h"
#include "quiver/sql/write_statement.h"

namespace quiver::sql {

/// \brief Resources of the engine (`--sql-memory-limit`, `--sql-threads`).
struct EngineOptions {
  /// Memory all running statements may use together, in bytes; 0: the engine's
  /// default (80% of RAM). Over it a statement fails with an out-of-memory error
  /// (nothing spills to disk).
  int64_t memory_limit_bytes = 0;
  /// Worker threads of the engine; 0: one per core.
  int threads = 0;

  static EngineOptions Defaults() { return {}; }
};

/// \brief A prepared statement: a query bound to pinned snapshots of its tables.
///
/// Not thread-safe except Cancel(), which may be called from any thread.
class Query {
 public:
  virtual ~Query() = default;

  /// \brief The schema of the result (also the schema of Execute()'s reader), except
  /// that a column whose type depends on a parameter not yet bound (`SELECT ?`) is null
  /// here: Execute()'s reader then has the bound type.
  virtual const std::shared_ptr<arrow::Schema>& schema() const = 0;

  /// \brief The parameters ($1, ?) in order, fields named by position; no fields
  /// when the query takes none.
  virtual const std::shared_ptr<arrow::Schema>& parameter_schema() const = 0;

  /// \brief Bind the parameters from row `row` of `values` (columns by position).
  /// \return Invalid when the count or a type does not fit.
  virtual arrow::Status Bind(const arrow::RecordBatch& values, int64_t row) = 0;

  /// \brief Run the query; the result streams as the reader is read (the engine
  /// computes ahead a bounded amount). One reader at a time per Query.
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Execute() = 0;

  /// \brief Stop the running execution (its reader then fails with Cancelled).
  virtual void Cancel() = 0;
};

/// \brief An embedded SQL engine. Thread-safe: statements are prepared and run
/// concurrently, each on its own session.
class Engine {
 public:
  virtual ~Engine() = default;

  /// \brief Prepare one read-only statement (SELECT, WITH, VALUES, EXPLAIN...).
  /// `resolver` is called during this call only.
  /// \return Invalid for a syntax error, an unknown table or column (the engine's
  ///         message), several statements, or a statement that is not a query
  ///         (writes, COPY, ATTACH, SET, INSTALL/LOAD, PRAGMA...); a resolver error
  ///         as it was returned.
  virtual arrow::Result<std::unique_ptr<Query>> Prepare(std::string_view sql,
                                                        TableResolver& resolver) = 0;

  /// \brief Read one statement with the engine's parser and say whether it is a
  /// write quiver runs itself (CREATE TABLE [AS], INSERT, DROP TABLE). Touches no
  /// table and runs nothing. Thread-safe.
  /// \return Invalid for a write quiver cannot run as asked (a temporary table, a
  ///         catalog other than quiver's, RETURNING, ON CONFLICT, constraints other
  ///         than NOT NULL), naming what; for text the parser refuses, an empty
  ///         ParsedStatement (Prepare then reports the syntax error where it is).
  virtual arrow::Result<ParsedStatement> Parse(std::string_view sql) = 0;
};

}  // namespace quiver::sql
