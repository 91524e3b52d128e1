#pragma once

/// \file
/// Engine::Parse for DuckDB: reads a statement with DuckDB's parser and describes
/// the writes quiver runs itself (write_statement.h).

#include <string_view>

#include <arrow/result.h>

#include "quiver/sql/write_statement.h"

namespace quiver::sql::duckdb_internal {

/// \brief See Engine::Parse. Thread-safe (each call has its own parser).
arrow::Result<ParsedStatement> ParseWrite(std::string_view sql);

}  // namespace quiver::sql::duckdb_internal
