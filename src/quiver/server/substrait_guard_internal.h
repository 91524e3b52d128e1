#pragma once

#include <string_view>

#include <arrow/status.h>

namespace quiver::server {

/// \brief Refuse Substrait bytes that would make Arrow's decoder abort the process.
///
/// Arrow 26's Substrait reader builds decimal and fixed-size-binary types with factories
/// that abort on out-of-range parameters (a decimal of precision 0, found by fuzz_filter)
/// instead of returning an error. This walks the protobuf wire format generically (no
/// Substrait schema needed): every length-delimited field that parses as a message is
/// visited, and field 24 (decimal, in Type and in Literal) must have a precision in
/// [1, 38], field 23 (fixed_binary) a length in [0, 2^31). It may refuse a few odd but
/// valid inputs (a fixed_binary literal whose bytes happen to look like such a message);
/// it never lets those parameters through.
/// \return Invalid naming the problem.
arrow::Status CheckSubstraitParameters(std::string_view bytes);

}  // namespace quiver::server
