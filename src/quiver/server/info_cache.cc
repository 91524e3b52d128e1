#include "quiver/server/info_cache.h"

namespace quiver::server {

arrow::Result<InfoPieces> InfoCache::Get(
    const std::string& name, const std::shared_ptr<const store::Manifest>& manifest,
    const Make& make) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it != entries_.end() && it->second.manifest == manifest) return it->second.pieces;
  }
  ARROW_ASSIGN_OR_RAISE(auto pieces, make());
  std::lock_guard lock(mutex_);
  entries_[name] = Entry{manifest, pieces};
  return pieces;
}

void InfoCache::Erase(const std::string& name) {
  std::lock_guard lock(mutex_);
  entries_.erase(name);
}

}  // namespace quiver::server
