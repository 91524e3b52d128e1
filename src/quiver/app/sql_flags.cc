#include <chrono>

#include "quiver/app/security_flags_internal.h"
#include "quiver/app/sql_flags_internal.h"
#include "quiver/common/version.h"
#include "quiver/server/flight_sql_endpoint.h"

namespace quiver::app {

void AddSqlFlags(CLI::App& app, SqlFlags& flags) {
  app.add_flag("--no-sql", flags.disabled,
               "Do not serve Flight SQL (its calls are then refused as UNIMPLEMENTED)");
  app.add_option("--sql-max-statements", flags.max_statements,
                 "Flight SQL statement handles kept at most; the least recently used is "
                 "dropped first")
      ->capture_default_str();
  app.add_option("--sql-statement-idle-timeout", flags.statement_idle_timeout,
                 "Forget a Flight SQL statement handle unused for this long: 30s, 10m")
      ->capture_default_str();
}

arrow::Status ApplySqlFlags(const SqlFlags& flags,
                            std::shared_ptr<store::DatasetStore> store,
                            server::ServeOptions* options) {
  if (flags.disabled) return arrow::Status::OK();
  if (flags.max_statements < 1) {
    return arrow::Status::Invalid("--sql-max-statements: must be >= 1");
  }
  auto idle = ParseDuration(flags.statement_idle_timeout);
  if (!idle.ok()) {
    return arrow::Status::Invalid("--sql-statement-idle-timeout: ",
                                  idle.status().message());
  }
  server::FlightSqlOptions sql_options;
  sql_options.max_statements = static_cast<size_t>(flags.max_statements);
  sql_options.statement_idle_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(*idle);
  sql_options.server_version = kVersion;
  // No engine linked yet (docs/sql.md, "Not done yet"): metadata only.
  options->extensions.sql = server::MakeFlightSqlEndpoint(
      std::move(store), nullptr, options->extensions.authorizer, sql_options);
  return arrow::Status::OK();
}

}  // namespace quiver::app
