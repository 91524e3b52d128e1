#pragma once

/// \file
/// The `filter` of a read command (docs/protocol.md): a boolean Arrow compute
/// expression serialised as a Substrait ExtendedExpression (what
/// `pyarrow.substrait.serialize_expressions` makes), in base64.

#include <memory>
#include <string>

#include <arrow/compute/expression.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::client {

/// Largest encoded filter EncodeFilter returns: with the rest of the command it must
/// fit the server's 64 KiB requests.
inline constexpr size_t kMaxEncodedFilterBytes = 56 * 1024;

/// \brief Serialise `filter` against `schema` (the columns it refers to, by name; the
/// server resolves them by name in the dataset) and encode it in base64.
/// \return Invalid if Arrow cannot express it in Substrait, or if the result is larger
///         than kMaxEncodedFilterBytes.
arrow::Result<std::string> EncodeFilter(const arrow::compute::Expression& filter,
                                        const std::shared_ptr<arrow::Schema>& schema);

}  // namespace quiver::client
