#pragma once

/// \file
/// SQL writes as commits of the storage service: CREATE TABLE [AS], INSERT, DROP
/// TABLE (write_statement.h) and bulk ingestion (Flight SQL CommandStatementIngest,
/// ADBC's adbc_ingest). Each statement is one atomic commit, visible to DoGet and
/// ListFlights at once; rows come from the engine (the statement's query, reading
/// one snapshot of each dataset it names) or from the client. Through the store's
/// public API only; nothing of Flight.

#include <cstdint>
#include <functional>
#include <memory>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/sql/dataset_tables.h"
#include "quiver/sql/engine.h"
#include "quiver/sql/write_statement.h"
#include "quiver/store/dataset_store.h"

namespace quiver::sql {

/// \brief What the caller may do, asked for each dataset a write touches (OK, or the
/// status to fail with). Called on the writing thread.
struct WriteAccess {
  ReadCheck may_read;   ///< each dataset the statement's query reads
  ReadCheck may_write;  ///< the target of CREATE TABLE, INSERT and ingestion
  ReadCheck may_drop;   ///< the target of DROP TABLE
  /// Whether the client went away (an ingestion is then not committed); may be empty.
  std::function<bool()> cancelled;
};

/// \brief CommandStatementIngest's table options.
struct IngestMode {
  enum class IfExists { kFail, kAppend, kReplace };
  enum class IfMissing { kCreate, kFail };
  IfExists if_exists = IfExists::kFail;
  IfMissing if_missing = IfMissing::kCreate;
};

/// \brief The schema of a write's result: one row, `Count` (int64), the rows
/// written, as DuckDB itself answers these statements.
const std::shared_ptr<arrow::Schema>& WriteResultSchema();

/// \brief The one-row result of a write that wrote `rows`.
std::shared_ptr<arrow::RecordBatch> MakeWriteResult(int64_t rows);

/// \brief Runs writes against a store. Thread-safe; concurrent writes of one dataset
/// commit in turn, as uploads do.
class DatasetWriter {
 public:
  DatasetWriter(std::shared_ptr<store::DatasetStore> store,
                std::shared_ptr<Engine> engine);

  /// \brief Check a write before it runs (a prepared statement): the target's
  /// grants, and that its query prepares.
  /// \return the parameter schema of its query (no fields for DROP TABLE); Invalid,
  ///         KeyError, PermissionDenied... as Run would.
  arrow::Result<std::shared_ptr<arrow::Schema>> Check(const WriteStatement& write,
                                                      const WriteAccess& access) const;

  /// \brief Run a write. `parameters`: rows of bound parameters, the query run once
  /// per row and every row written in the same commit (nullptr: no parameters).
  /// \return the rows written (0 for DROP TABLE, or CREATE ... IF NOT EXISTS of an
  ///         existing table). AlreadyExists for CREATE TABLE of an existing table;
  ///         KeyError for INSERT or DROP of a missing one (not with IF EXISTS);
  ///         Invalid when the rows do not fit the table (column count, names,
  ///         a type that does not convert, a null in a NOT NULL column).
  arrow::Result<int64_t> Run(const WriteStatement& write, const WriteAccess& access,
                             const arrow::RecordBatch* parameters) const;

  /// \brief Write the client's `rows` into dataset `table` as `mode` says.
  /// \return the rows written; AlreadyExists or KeyError as `mode` decides; Invalid
  ///         when an append's schema differs from the dataset's; Cancelled when
  ///         access.cancelled() says so at the end (nothing committed).
  arrow::Result<int64_t> Ingest(std::string_view table, const IngestMode& mode,
                                arrow::RecordBatchReader& rows,
                                const WriteAccess& access) const;

 private:
  std::shared_ptr<store::DatasetStore> store_;
  std::shared_ptr<Engine> engine_;
  DatasetTables tables_;
};

}  // namespace quiver::sql
