#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "quiver/store/cache/lru_index.h"

namespace parquet {
class FileMetaData;
}  // namespace parquet

namespace quiver::store {

/// \brief Parsed Parquet footers of parts, so that opening a part again reads and
/// parses no footer (on an object store: one GET less per part and read). Bounded by
/// the footers' serialized size, least recently used out first. Parts are immutable,
/// so an entry never goes stale. Thread-safe.
class FooterCache {
 public:
  explicit FooterCache(int64_t max_bytes) : index_(max_bytes) {}

  /// \brief The footer of part `key` (see PartCacheKey), or nullptr.
  std::shared_ptr<parquet::FileMetaData> Get(const std::string& key);
  /// \brief Remember the footer of part `key`.
  void Put(const std::string& key, std::shared_ptr<parquet::FileMetaData> footer);

  std::atomic<int64_t> hits{0};
  std::atomic<int64_t> misses{0};

 private:
  LruIndex index_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<parquet::FileMetaData>> footers_;
};

/// \brief Where an open of a part finds and leaves its footer: nothing (cache null),
/// or the entry `key` of `cache`.
struct FooterSlot {
  FooterCache* cache = nullptr;
  std::string key;
};

}  // namespace quiver::store
