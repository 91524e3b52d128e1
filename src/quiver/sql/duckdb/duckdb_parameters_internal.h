#pragma once

/// \file
/// Binding an Arrow value to a parameter of a DuckDB prepared statement.

#include <duckdb.h>

#include <arrow/scalar.h>
#include <arrow/status.h>

namespace quiver::sql::duckdb_internal {

/// \brief Bind `scalar` to parameter `index` (1-based) of `prepared`: bool, integers,
/// floats, strings, binary, date32, timestamps (with or without time zone), null.
/// \return NotImplemented for another type; Invalid when DuckDB refuses the value.
arrow::Status BindParameter(duckdb_prepared_statement prepared, idx_t index,
                            const arrow::Scalar& scalar);

}  // namespace quiver::sql::duckdb_internal
