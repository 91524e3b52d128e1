#pragma once

/// \file
/// How DuckDB reaches quiver's tables: a replacement scan turns each unknown table
/// name into a call of the internal table function `quiver_scan(token)`, whose token
/// indexes the sources resolved for the statement being bound on this thread.
/// `quiver_scan` pushes projections down (only the columns a query needs are read)
/// and converts the snapshot's Arrow batches to DuckDB chunks.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <duckdb.h>

#include <arrow/status.h>

#include "quiver/sql/table_source.h"

namespace quiver::sql::duckdb_internal {

/// \brief The tables of one statement, while it is bound (Prepare) or re-bound
/// (Execute, which never resolves new names).
struct BindContext {
  /// nullptr: re-binding; only names in `resolved` are known.
  TableResolver* resolver = nullptr;
  /// Every name resolved for the statement, and its source.
  std::map<std::string, std::shared_ptr<TableSource>> resolved;
  /// Sources by token (the argument of quiver_scan).
  std::vector<std::shared_ptr<TableSource>> by_token;
  /// The first resolver error: the statement fails with it.
  arrow::Status failure;
};

/// \brief Makes `context` the one of this thread for the scope's duration.
class ScopedBindContext {
 public:
  explicit ScopedBindContext(BindContext* context);
  ~ScopedBindContext();
  ScopedBindContext(const ScopedBindContext&) = delete;
  ScopedBindContext& operator=(const ScopedBindContext&) = delete;

 private:
  BindContext* previous_;
};

/// \brief Install the replacement scan and register `quiver_scan` (once per database;
/// `connection` is used for the registration only).
arrow::Status InstallScan(duckdb_database database, duckdb_connection connection);

/// \brief A DuckDB error as a status (Invalid: it is the statement's fault unless
/// the engine says otherwise).
arrow::Status EngineError(std::string_view what, const char* message);

}  // namespace quiver::sql::duckdb_internal
