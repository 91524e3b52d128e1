#pragma once

/// \file
/// quiverd's flags for the Flight SQL front end (docs/sql.md).

#include <cstdint>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <arrow/status.h>

#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"

namespace quiver::app {

struct SqlFlags {
  bool disabled = false;
  std::string memory_limit = "0";
  int threads = 0;
  int64_t max_statements = 1024;
  std::string statement_idle_timeout = "10m";
};

/// \brief Declare --no-sql, --sql-memory-limit, --sql-threads, --sql-max-statements and
/// --sql-statement-idle-timeout on `app`.
void AddSqlFlags(CLI::App& app, SqlFlags& flags);

/// \brief Start the SQL engine and install the Flight SQL front end in
/// `options->extensions` (after the Authorizer: it applies to every dataset a
/// statement reads). Nothing with --no-sql. \return Invalid naming a bad flag value.
arrow::Status ApplySqlFlags(const SqlFlags& flags,
                            std::shared_ptr<store::DatasetStore> store,
                            server::ServeOptions* options);

}  // namespace quiver::app
