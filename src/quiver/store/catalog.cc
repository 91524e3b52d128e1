#include <mutex>

#include "quiver/store/catalog_internal.h"

namespace quiver::store {

namespace {
int64_t LiveBytes(const DatasetInfo& info) {
  return info.dropped() ? 0 : info.stored_bytes;
}
}  // namespace

bool Catalog::Put(DatasetInfo info) {
  std::unique_lock lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(info.name.ToString(), info);
  if (!inserted) {
    if (it->second.version >= info.version && it->second.version != 0) return false;
    total_bytes_ -= LiveBytes(it->second);
    live_ -= it->second.dropped() ? 0 : 1;
    it->second = std::move(info);
  }
  total_bytes_ += LiveBytes(it->second);
  live_ += it->second.dropped() ? 0 : 1;
  return true;
}

bool Catalog::Erase(const DatasetName& name) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(name.ToString());
  if (it == entries_.end()) return false;
  total_bytes_ -= LiveBytes(it->second);
  live_ -= it->second.dropped() ? 0 : 1;
  entries_.erase(it);
  return true;
}

std::optional<DatasetInfo> Catalog::Find(const DatasetName& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(name.ToString());
  if (it == entries_.end() || it->second.dropped()) return std::nullopt;
  return it->second;
}

std::optional<DatasetInfo> Catalog::FindHead(const DatasetName& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(name.ToString());
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<DatasetName> Catalog::Names() const {
  std::shared_lock lock(mutex_);
  std::vector<DatasetName> out;
  out.reserve(entries_.size());
  for (const auto& [key, info] : entries_) out.push_back(info.name);
  return out;
}

std::vector<DatasetInfo> Catalog::List(std::string_view prefix) const {
  std::shared_lock lock(mutex_);
  std::vector<DatasetInfo> out;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
    if (!it->second.dropped()) out.push_back(it->second);
  }
  return out;
}

std::optional<DatasetName> Catalog::FindConflict(const DatasetName& name) const {
  std::shared_lock lock(mutex_);
  // Ancestors: "a", "a/b" for "a/b/c".
  std::string ancestor;
  const auto& segments = name.segments();
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (i > 0) ancestor.push_back('/');
    ancestor += segments[i];
    auto it = entries_.find(ancestor);
    if (it != entries_.end() && !it->second.dropped()) return it->second.name;
  }
  // Descendants: anything under "a/b/c/".
  std::string dir = name.ToString() + "/";
  for (auto it = entries_.lower_bound(dir);
       it != entries_.end() && std::string_view(it->first).starts_with(dir); ++it) {
    if (!it->second.dropped()) return it->second.name;
  }
  return std::nullopt;
}

size_t Catalog::size() const {
  std::shared_lock lock(mutex_);
  return static_cast<size_t>(live_);
}

int64_t Catalog::total_bytes() const {
  std::shared_lock lock(mutex_);
  return total_bytes_;
}

}  // namespace quiver::store
