#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quiver/store/model/manifest.h"

namespace quiver::store {

/// \brief Consecutive parts [begin, end) to rewrite as one part.
struct CompactionRun {
  size_t begin = 0;
  size_t end = 0;
};

/// \brief Runs of at least two consecutive parts, each smaller than
/// `small_part_bytes`, cut so that a run stores at most about `target_bytes`. Order
/// is kept: rewriting each run in place keeps the rows in the same order. Pure.
std::vector<CompactionRun> PlanCompaction(const std::vector<PartInfo>& parts,
                                          int64_t small_part_bytes, int64_t target_bytes);

}  // namespace quiver::store
