#include "quiver/store/model/retention.h"

#include <algorithm>

namespace quiver::store {

RetentionDecision DecideRetention(const std::vector<VersionFacts>& versions,
                                  const RetentionOptions& options, int64_t now_us) {
  RetentionDecision decision;
  if (versions.empty()) return decision;
  const VersionFacts& head = versions.back();
  const int64_t grace_us =
      std::chrono::duration_cast<std::chrono::microseconds>(options.grace).count();
  const int64_t keep_for_us =
      std::chrono::duration_cast<std::chrono::microseconds>(options.keep_for).count();
  size_t kept = 1;  // the head
  for (size_t i = 0; i + 1 < versions.size(); ++i) {
    const VersionFacts& v = versions[i];
    // It stopped being current when the next version was committed.
    int64_t age = now_us - versions[i + 1].committed_at_us;
    int64_t rank = static_cast<int64_t>(versions.size() - 1 - i);  // head is 0
    bool count_lets_go = head.dropped || rank >= options.keep_versions;
    bool time_lets_go = age >= keep_for_us;
    if (!v.pinned && age >= grace_us && count_lets_go && time_lets_go) {
      decision.delete_versions.push_back(v.version);
    } else {
      ++kept;
    }
  }
  if (head.dropped && kept == 1 && !head.pinned &&
      now_us - head.committed_at_us >= std::max(grace_us, int64_t{0})) {
    decision.remove_dataset = true;
  }
  return decision;
}

}  // namespace quiver::store
