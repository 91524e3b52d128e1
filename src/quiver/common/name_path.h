#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace quiver {

/// \brief Split a dataset name as users write it ("sales/2024") into its segments.
///
/// No validation: empty segments are kept (store::DatasetName rejects them). Stops
/// after `max_segments + 1` segments so that hostile input cannot make it allocate
/// without bound; the caller's validation then reports "too many segments".
std::vector<std::string> SplitNamePath(
    std::string_view text, size_t max_segments = std::numeric_limits<size_t>::max() - 1);

/// \brief The inverse: segments joined with '/'.
std::string JoinNamePath(const std::vector<std::string>& segments);

}  // namespace quiver
