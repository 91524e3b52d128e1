#include <chrono>
#include <map>
#include <string>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/catalog_refresher_internal.h"
#include "quiver/store/dataset_store_impl_internal.h"

namespace quiver::store {

CatalogRefresher::CatalogRefresher(DatasetStoreImpl& store) : store_(store) {}

CatalogRefresher::~CatalogRefresher() { loop_.reset(); }

void CatalogRefresher::StartLoop() {
  loop_ = std::make_unique<BackgroundLoop>(store_.options().maintenance.catalog_refresh,
                                           [this] { RefreshLogged(); });
}

void CatalogRefresher::RefreshLogged() {
  auto st = Refresh();
  // One line when refreshes start failing and one when they recover, not one per
  // interval while the store is down.
  if (!st.ok() && !failing_) spdlog::warn("{}", st.message());
  if (st.ok() && failing_) spdlog::info("catalog refresh: the store answers again");
  failing_ = !st.ok();
}

arrow::Status CatalogRefresher::Refresh() {
  const Layout& layout = store_.layout();
  Catalog& catalog = store_.catalog();
  arrow::fs::FileSelector selector;
  selector.base_dir = layout.root();
  selector.recursive = true;
  selector.allow_not_found = true;
  auto entries = store_.filesystem().GetFileInfo(selector);
  if (!entries.ok()) {
    return arrow::Status::IOError("catalog refresh: cannot list the store (",
                                  entries.status().message(), ")");
  }
  std::map<std::string, int64_t> newest;  // dataset -> highest manifest version
  for (const auto& entry : *entries) {
    if (!entry.IsFile()) continue;
    auto kind = layout.Classify(entry.path());
    if (kind.kind != Layout::Kind::kManifest) continue;
    auto& version = newest[kind.name];
    version = std::max(version, kind.version);
  }
  size_t updated = 0, failed = 0;
  for (const auto& [text, version] : newest) {
    auto name = DatasetName::Parse(text);
    if (!name.ok()) continue;
    auto head = catalog.FindHead(*name);
    if (head && head->version >= version) continue;
    auto manifest = store_.log().Read(*name, version);
    if (!manifest.ok()) {
      if (!manifest.status().IsKeyError()) ++failed;  // KeyError: collected meanwhile
      continue;
    }
    if (catalog.Put(DatasetInfo::Of(
            *name, std::make_shared<const Manifest>(std::move(*manifest))))) {
      ++updated;
    }
  }
  // Dropped datasets another node's GC removed entirely.
  for (const auto& name : catalog.Names()) {
    if (newest.count(name.ToString())) continue;
    auto head = catalog.FindHead(name);
    if (head && head->dropped()) catalog.Erase(name);
  }
  if (updated > 0) spdlog::debug("catalog refresh: {} datasets updated", updated);
  if (failed > 0) {
    return arrow::Status::IOError("catalog refresh: ", failed,
                                  " manifests could not be read");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::store
