#pragma once

#include <memory>

#include <arrow/io/interfaces.h>

namespace quiver::store {

/// \brief Wrap an output stream of the storage so that every error it returns is
/// marked as a storage failure (MarkStorageFailure, storage_error.h; code, message and
/// errno kept).
///
/// For the sink handed to code that is not the store's (Parquet's writer): an error
/// that code returns is then the storage's when it carries the mark, and the data's
/// (the client's) when it does not, whatever its code. Forwards every call, including
/// Abort (an object-store upload is then abandoned, not completed).
std::shared_ptr<arrow::io::OutputStream> MarkStorageFailures(
    std::shared_ptr<arrow::io::OutputStream> stream);

}  // namespace quiver::store
