#pragma once

#include <string>

#include "quiver/store/store_options.h"

namespace quiver::testing {

/// \brief Options for a store in `dir` that tests drive deterministically: no
/// background thread (GC and compaction run when the test calls them).
store::StoreOptions TestStoreOptions(const std::string& dir);

/// \brief Retention that keeps nothing but the current version, with no grace period.
store::RetentionOptions NoRetention();

}  // namespace quiver::testing
