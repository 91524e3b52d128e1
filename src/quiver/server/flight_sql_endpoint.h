#pragma once

/// \file
/// The Flight SQL front end over a DatasetStore: Flight SQL commands, tickets and
/// actions mapped onto the SQL engine (sql::Engine) and the metadata tables.
///
/// Served: CommandStatementQuery (GetFlightInfo -> TicketStatementQuery -> DoGet),
/// CreatePreparedStatement / ClosePreparedStatement, CommandPreparedStatementQuery
/// with parameters bound by DoPut, CommandGetSqlInfo, CommandGetCatalogs,
/// CommandGetDbSchemas, CommandGetTables (include_schema), CommandGetTableTypes,
/// CommandGetXdbcTypeInfo and the key commands (empty). Writes, Substrait plans,
/// transactions and cancellation: NotImplemented. docs/sql.md has the details.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <arrow/result.h>

#include "quiver/server/authorizer.h"
#include "quiver/server/sql_endpoint.h"
#include "quiver/sql/engine.h"
#include "quiver/store/dataset_store.h"

namespace quiver::server {

/// \brief Configuration of the Flight SQL front end.
struct FlightSqlOptions {
  /// Statements (prepared, or waiting for their DoGet) kept at most, over all callers.
  size_t max_statements = 1024;
  /// A statement handle unused for this long is forgotten.
  std::chrono::seconds statement_idle_timeout{600};
  /// The server version reported by GetSqlInfo.
  std::string server_version;

  static FlightSqlOptions Defaults() { return {}; }
};

/// \brief Make the front end.
/// \param engine runs the statements (e.g. sql::MakeDuckDbEngine); nullptr in a build
///        without the engine: the metadata commands are served, statements refused
///        as NotImplemented saying so.
/// \param authorizer nullptr: everything allowed.
std::shared_ptr<SqlEndpoint> MakeFlightSqlEndpoint(
    std::shared_ptr<store::DatasetStore> store, std::shared_ptr<sql::Engine> engine,
    std::shared_ptr<Authorizer> authorizer, FlightSqlOptions options = {});

}  // namespace quiver::server
