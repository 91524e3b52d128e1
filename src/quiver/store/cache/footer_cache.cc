#include "quiver/store/cache/footer_cache.h"

#include <parquet/metadata.h>

namespace quiver::store {

std::shared_ptr<parquet::FileMetaData> FooterCache::Get(const std::string& key) {
  std::shared_ptr<parquet::FileMetaData> footer;
  if (index_.Touch(key)) {
    std::lock_guard lock(mutex_);
    if (auto it = footers_.find(key); it != footers_.end()) footer = it->second;
  }
  ++(footer ? hits : misses);
  return footer;
}

void FooterCache::Put(const std::string& key,
                      std::shared_ptr<parquet::FileMetaData> footer) {
  if (footer == nullptr) return;
  int64_t size = footer->size();
  if (size > index_.max_bytes()) return;  // larger than the whole cache: not kept
  std::lock_guard lock(mutex_);
  footers_[key] = std::move(footer);
  for (const auto& old : index_.Insert(key, size)) footers_.erase(old);
}

}  // namespace quiver::store
