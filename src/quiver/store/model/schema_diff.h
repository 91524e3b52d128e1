#pragma once

#include <optional>
#include <string>

#include <arrow/type_fwd.h>

namespace quiver::store {

/// \brief How `actual` differs from `expected` (field metadata ignored), in words
/// that name the first differing field; nullopt when they are equal.
std::optional<std::string> DescribeSchemaDifference(const arrow::Schema& expected,
                                                    const arrow::Schema& actual);

}  // namespace quiver::store
