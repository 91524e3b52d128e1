#include "quiver/store/model/layout.h"

#include <fmt/format.h>

#include "quiver/common/path_name.h"

namespace quiver::store {
namespace {
constexpr std::string_view kManifestDir = ".manifests";
constexpr std::string_view kPartsDir = ".parts";
constexpr std::string_view kManifestTempPrefix = ".tmp-";
constexpr std::string_view kLegacyTempPrefix = ".quiver-tmp-";
constexpr std::string_view kMigratingPrefix = ".quiver-migrate-";
constexpr size_t kVersionDigits = 20;

bool ParseVersionFile(std::string_view base, int64_t* version) {
  if (base.size() != kVersionDigits + 5 || !base.ends_with(".json")) return false;
  int64_t v = 0;
  for (size_t i = 0; i < kVersionDigits; ++i) {
    char c = base[i];
    if (c < '0' || c > '9') return false;
    if (v > (INT64_MAX - 9) / 10) return false;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return false;
  *version = v;
  return true;
}

}  // namespace

std::string Layout::DatasetDir(const DatasetName& name) const {
  return root_ + "/" + name.ToString();
}

std::string Layout::ManifestDir(const DatasetName& name) const {
  return DatasetDir(name) + "/" + std::string(kManifestDir);
}

std::string Layout::ManifestPath(const DatasetName& name, int64_t version) const {
  return fmt::format("{}/{:020}.json", ManifestDir(name), version);
}

std::string Layout::ManifestTempPath(const DatasetName& name,
                                     std::string_view unique) const {
  return ManifestDir(name) + "/" + std::string(kManifestTempPrefix) + std::string(unique);
}

std::string Layout::PartsDir(const DatasetName& name) const {
  return DatasetDir(name) + "/" + std::string(kPartsDir);
}

std::string Layout::PartPath(const DatasetName& name, std::string_view file) const {
  return PartsDir(name) + "/" + std::string(file);
}

std::string Layout::ParentDir(const DatasetName& name) const {
  std::string dir = root_;
  const auto& segments = name.segments();
  for (size_t i = 0; i + 1 < segments.size(); ++i) dir += "/" + segments[i];
  return dir;
}

std::string Layout::MigratingPath(const DatasetName& name) const {
  return ParentDir(name) + "/" + std::string(kMigratingPrefix) + name.segments().back();
}

Layout::Entry Layout::Classify(std::string_view path) const {
  Entry entry;
  if (!path.starts_with(root_) || path.size() <= root_.size() + 1 ||
      path[root_.size()] != '/') {
    return entry;
  }
  std::string_view rel = path.substr(root_.size() + 1);
  std::string_view base = BaseName(rel);
  std::string_view dir = DirName(rel);
  auto dataset_of = [](std::string_view text, std::string* out) {
    auto name = DatasetName::Parse(text);
    if (!name.ok()) return false;
    *out = name->ToString();
    return true;
  };
  if (BaseName(dir) == kManifestDir) {
    if (!dataset_of(DirName(dir), &entry.name)) return entry;
    if (base.starts_with(kManifestTempPrefix)) {
      entry.kind = Kind::kManifestTemp;
    } else if (ParseVersionFile(base, &entry.version)) {
      entry.kind = Kind::kManifest;
    }
    return entry;
  }
  if (BaseName(dir) == kPartsDir) {
    if (!dataset_of(DirName(dir), &entry.name)) return entry;
    if (!base.starts_with('.')) {
      entry.kind = Kind::kPart;
      entry.file = std::string(base);
    }
    return entry;
  }
  if (base.starts_with(kLegacyTempPrefix)) {
    entry.kind = Kind::kLegacyTemp;
    return entry;
  }
  if (base.starts_with(kMigratingPrefix)) {
    std::string original = std::string(dir.empty() ? "" : std::string(dir) + "/") +
                           std::string(base.substr(kMigratingPrefix.size()));
    if (dataset_of(original, &entry.name)) entry.kind = Kind::kMigrating;
    return entry;
  }
  if (dataset_of(rel, &entry.name)) entry.kind = Kind::kLegacyData;
  return entry;
}

}  // namespace quiver::store
