#include "quiver/store/model/compaction_plan.h"

namespace quiver::store {

std::vector<CompactionRun> PlanCompaction(const std::vector<PartInfo>& parts,
                                          int64_t small_part_bytes,
                                          int64_t target_bytes) {
  std::vector<CompactionRun> runs;
  size_t i = 0;
  while (i < parts.size()) {
    if (parts[i].bytes >= small_part_bytes) {
      ++i;
      continue;
    }
    size_t begin = i;
    int64_t bytes = 0;
    while (i < parts.size() && parts[i].bytes < small_part_bytes &&
           (i == begin || bytes + parts[i].bytes <= target_bytes)) {
      bytes += parts[i].bytes;
      ++i;
    }
    if (i - begin >= 2) runs.push_back({begin, i});
  }
  return runs;
}

}  // namespace quiver::store
