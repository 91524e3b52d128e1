#include <chrono>

#include "quiver/app/duration_internal.h"
#include "quiver/app/security_flags_internal.h"
#include "quiver/app/sql_flags_internal.h"
#include "quiver/app/storage_flags_internal.h"
#include "quiver/common/version.h"
#include "quiver/server/flight_sql_endpoint.h"
#ifdef QUIVER_HAVE_DUCKDB
#include "quiver/sql/duckdb/duckdb_engine.h"
#endif

#include <spdlog/spdlog.h>

namespace quiver::app {

void AddSqlFlags(CLI::App& app, SqlFlags& flags) {
  app.add_flag("--no-sql", flags.disabled,
               "Do not serve Flight SQL (its calls are then refused as UNIMPLEMENTED)");
  app.add_option("--sql-memory-limit", flags.memory_limit,
                 "Memory all SQL statements may use together: 512MiB, 4GiB (0: the "
                 "engine's default, 80% of RAM); over it a statement fails")
      ->capture_default_str();
  app.add_option("--sql-threads", flags.threads,
                 "Worker threads of the SQL engine (0: one per core)")
      ->capture_default_str();
  app.add_option(
         "--sql-max-statements", flags.max_statements,
         "SQL statements (prepared, or waiting for their DoGet) kept at most; the "
         "least recently used is dropped first")
      ->capture_default_str();
  app.add_option("--sql-statement-idle-timeout", flags.statement_idle_timeout,
                 "Forget a SQL statement handle unused for this long: 30s, 10m")
      ->capture_default_str();
}

arrow::Status ApplySqlFlags(const SqlFlags& flags,
                            std::shared_ptr<store::DatasetStore> store,
                            server::ServeOptions* options) {
  if (flags.disabled) return arrow::Status::OK();
  sql::EngineOptions engine_options;
  auto memory = ParseByteSize(flags.memory_limit);
  if (!memory.ok())
    return arrow::Status::Invalid("--sql-memory-limit: ", memory.status().message());
  engine_options.memory_limit_bytes = *memory;
  if (flags.threads < 0) return arrow::Status::Invalid("--sql-threads: must be >= 0");
  engine_options.threads = flags.threads;
  if (flags.max_statements < 1) {
    return arrow::Status::Invalid("--sql-max-statements: must be >= 1");
  }
  ARROW_ASSIGN_OR_RAISE(
      auto idle, ParseDurationFlag("--sql-statement-idle-timeout",
                                   flags.statement_idle_timeout, ZeroDuration::kRefused));
  server::FlightSqlOptions sql_options;
  sql_options.max_statements = static_cast<size_t>(flags.max_statements);
  sql_options.statement_idle_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(idle);
  sql_options.server_version = kVersion;
  std::shared_ptr<sql::Engine> engine;
#ifdef QUIVER_HAVE_DUCKDB
  auto made = sql::MakeDuckDbEngine(engine_options);
  if (!made.ok()) {
    return made.status().WithMessage("cannot start the SQL engine: ",
                                     made.status().message());
  }
  engine = std::move(*made);
#else
  // A build configured with -DQUIVER_SQL_ENGINE=OFF: said, not warned about.
  spdlog::info(
      "quiverd: built without the SQL engine: Flight SQL metadata is served, statements "
      "are refused (docs/sql.md)");
#endif
  options->extensions.sql = server::MakeFlightSqlEndpoint(
      std::move(store), std::move(engine), options->extensions.authorizer, sql_options);
  return arrow::Status::OK();
}

}  // namespace quiver::app
