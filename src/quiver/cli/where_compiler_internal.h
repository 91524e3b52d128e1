#pragma once

/// \file
/// Turns a parsed --where (where_parser_internal.h) into an Arrow compute expression
/// over a dataset's schema, checking every column and value against the column's type
/// with errors that point at the mistake. The result is what the server's `filter`
/// wants (docs/protocol.md): an expression referring to columns by name, and the
/// schema of just those columns to serialise it with, in the types Substrait can
/// carry (a dictionary column as its value type, nanosecond timestamps as
/// microseconds, large and view strings as strings); the server binds the names to
/// the real columns.

#include <cstdint>
#include <memory>

#include <arrow/compute/expression.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "quiver/cli/where_parser_internal.h"

namespace quiver::cli {

/// Most function references a compiled filter may need in its Substrait form. Arrow
/// 26's encoder repeats its table of function extensions at each level of nesting
/// (and(a, b) carries the tables of a and b twice over), so the size grows
/// quickly with depth; this keeps a filter well inside the server's 64 KiB request.
inline constexpr int64_t kMaxFilterFunctionRefs = 256;

/// \brief A compiled filter: the boolean expression and the schema to serialise it
/// with (the referenced columns only, by name, in Substrait-friendly types).
struct CompiledWhere {
  arrow::compute::Expression expression;
  std::shared_ptr<arrow::Schema> schema;
  /// Size estimate of the Substrait form, in function references (see above).
  int64_t function_refs = 0;
};

/// \brief Compile `where` against `schema` (the dataset's).
/// \return Invalid "--where: ... at column N" for an unknown column, a value that does
///         not fit the column's type (out of range, more decimals than the column
///         has, not a date), a column type the language cannot compare, or a filter
///         too complex to send; never throws.
arrow::Result<CompiledWhere> CompileWhere(const WhereNode& where,
                                          const arrow::Schema& schema);

/// \brief The type a column of type `type` is described with in a serialised filter:
/// dictionaries as their values, large/view strings and binaries as plain ones,
/// timestamp[ns] as timestamp[us] (same zone), date64 as date32; others unchanged.
std::shared_ptr<arrow::DataType> FilterWireType(
    const std::shared_ptr<arrow::DataType>& type);

}  // namespace quiver::cli
