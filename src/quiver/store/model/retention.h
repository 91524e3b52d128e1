#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace quiver::store {

/// \brief When old versions, and the data only they reference, are deleted.
struct RetentionOptions {
  /// Versions kept per live dataset by count (the current one included)...
  int64_t keep_versions = 10;
  /// ...and by time since they stopped being current. A version goes only when both
  /// rules let it go. A dropped dataset's history is kept by time only.
  std::chrono::seconds keep_for = std::chrono::hours(24 * 7);
  /// Never delete a version sooner than this after it stopped being current, so that
  /// reads that started on other nodes finish.
  std::chrono::seconds grace = std::chrono::minutes(15);

  static RetentionOptions Defaults() { return RetentionOptions{}; }
};

/// \brief What retention knows of one version.
struct VersionFacts {
  int64_t version = 0;
  int64_t committed_at_us = 0;
  bool dropped = false;
  /// A read (or a restore, a compaction) on this node uses it.
  bool pinned = false;
};

/// \brief What to delete from one dataset's history.
struct RetentionDecision {
  std::vector<int64_t> delete_versions;  ///< ascending
  /// The dataset was dropped and nothing of it is kept: remove it entirely.
  bool remove_dataset = false;
};

/// \brief Apply the rules to `versions` (ascending; the last is the current one).
/// Pure: the same inputs always give the same decision.
RetentionDecision DecideRetention(const std::vector<VersionFacts>& versions,
                                  const RetentionOptions& options, int64_t now_us);

}  // namespace quiver::store
