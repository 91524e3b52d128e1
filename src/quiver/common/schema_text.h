#pragma once

/// \file
/// An Arrow schema as text: its IPC serialization in base64, the way Arrow itself
/// keeps the schema in a Parquet file's "ARROW:schema" metadata and quiver keeps it in
/// a manifest's "schema".

#include <memory>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver {

/// \brief `schema` serialized as an IPC schema message, in base64.
arrow::Result<std::string> EncodeSchemaText(const arrow::Schema& schema);

/// \brief The inverse. `text` may be untrusted.
/// \return Invalid "not base64" or "not an Arrow IPC schema".
arrow::Result<std::shared_ptr<arrow::Schema>> DecodeSchemaText(std::string_view text);

}  // namespace quiver
