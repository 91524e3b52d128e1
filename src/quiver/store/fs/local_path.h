#pragma once

#include <string>

#include <arrow/result.h>

namespace quiver::store {

/// \brief `directory` made absolute (against the working directory) and normal, with
/// no trailing '/'. \return Invalid if empty, IOError if it cannot be resolved.
arrow::Result<std::string> AbsoluteLocalPath(const std::string& directory);

}  // namespace quiver::store
