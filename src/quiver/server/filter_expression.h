#pragma once

/// \file
/// The `filter` of read commands and tickets: a Substrait ExtendedExpression, base64,
/// as `pyarrow.substrait.serialize_expressions` makes it (docs/protocol.md).

#include <string_view>

#include <arrow/compute/expression.h>
#include <arrow/result.h>

namespace quiver::server {

/// Deepest expression accepted (calls within calls).
inline constexpr int kMaxFilterDepth = 64;

/// \brief Decode a filter: base64 of a serialized Substrait ExtendedExpression holding
/// exactly one expression. Its field references, positions in the schema the client
/// serialized it with, become references by column name, so that the client's schema
/// need only hold the columns the filter uses. Chains of and/or (as "in" lists become)
/// are rebalanced, so long lists are not deep expressions.
/// \return Invalid (bad base64, bad Substrait, not one expression, nested deeper than
/// kMaxFilterDepth, a reference into a list); never crashes on hostile bytes.
arrow::Result<arrow::compute::Expression> DecodeFilter(std::string_view base64);

}  // namespace quiver::server
