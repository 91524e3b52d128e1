#pragma once

#include <memory>

#include <arrow/io/interfaces.h>
#include <arrow/type_fwd.h>

#include "quiver/cli/batch_writer_internal.h"

namespace quiver::cli {

/// \brief A BatchWriter of JSON lines: one object per row, keys = field names.
///
/// Arrow C++ reads JSON but has no JSON writer, hence this one. Values: null, booleans,
/// integers and finite floats as JSON numbers (NaN and infinities as null), strings
/// escaped per RFC 8259, structs as objects, lists and maps as arrays; every other
/// type (dates, timestamps, decimals, binary...) as a string of its Arrow text form.
/// Writes one buffer per batch.
arrow::Result<std::unique_ptr<BatchWriter>> MakeJsonLinesWriter(
    std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema);

}  // namespace quiver::cli
