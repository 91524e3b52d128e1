// DatasetStoreImpl start-up, in three phases: scan the root (deleting what
// interrupted writes left), migrate the one-file layout of earlier releases, load the
// catalog (deleting orphaned parts on local roots).
#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/fs/durability.h"
#include "quiver/store/legacy_migrator_internal.h"
#include "quiver/store/model/storage_error.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/parquet_format.h"

namespace quiver::store {

/// What the scan of the root found.
struct DatasetStoreImpl::RootScan {
  struct DatasetFiles {
    std::vector<int64_t> versions;
    std::vector<std::string> parts;
  };
  std::map<std::string, DatasetFiles> datasets;
  std::vector<std::pair<std::string, std::string>> legacy;  // name, path
  std::set<std::string> migrating;
  size_t removed = 0;  // leftover temporary files deleted
  size_t skipped = 0;  // files that are none of the store's
};

arrow::Status DatasetStoreImpl::Load() {
  ARROW_ASSIGN_OR_RAISE(auto scan, ScanRoot());
  ARROW_ASSIGN_OR_RAISE(size_t migrated, MigrateLegacyDatasets(&scan));
  ARROW_ASSIGN_OR_RAISE(size_t orphans, LoadCatalog(scan, &scan.skipped));
  spdlog::info(
      "store: {} datasets ({} bytes); migrated {} one-file datasets; removed {} "
      "leftover temporary files and {} orphaned parts; skipped {} files",
      catalog_.size(), catalog_.total_bytes(), migrated, scan.removed, orphans,
      scan.skipped);
  return arrow::Status::OK();
}

arrow::Result<DatasetStoreImpl::RootScan> DatasetStoreImpl::ScanRoot() {
  auto& fs = *options_.filesystem;
  ARROW_RETURN_NOT_OK(fs.CreateDir(layout_.root(), /*recursive=*/true));
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.root();
  selector.recursive = true;
  ARROW_ASSIGN_OR_RAISE(auto entries, fs.GetFileInfo(selector));
  RootScan scan;
  for (const auto& entry : entries) {
    if (!entry.IsFile()) continue;
    auto kind = layout_.Classify(entry.path());
    switch (kind.kind) {
      case Layout::Kind::kManifest:
        scan.datasets[kind.name].versions.push_back(kind.version);
        break;
      case Layout::Kind::kPart:
        scan.datasets[kind.name].parts.push_back(kind.file);
        break;
      case Layout::Kind::kManifestTemp:
      case Layout::Kind::kLegacyTemp:
        if (fs.DeleteFile(entry.path()).ok()) ++scan.removed;
        break;
      case Layout::Kind::kMigrating:
        scan.migrating.insert(kind.name);
        break;
      case Layout::Kind::kLegacyData:
        scan.legacy.emplace_back(kind.name, entry.path());
        break;
      case Layout::Kind::kOther:
        ++scan.skipped;
        break;
    }
  }
  return scan;
}

arrow::Result<size_t> DatasetStoreImpl::MigrateLegacyDatasets(RootScan* scan) {
  auto& fs = *options_.filesystem;
  LegacyMigrator migrator(fs, layout_, log_);
  size_t migrated = 0;
  // Interrupted migrations first.
  for (const auto& text : scan->migrating) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    ARROW_RETURN_NOT_OK(migrator.Finish(name));
    scan->datasets[text].versions.push_back(1);
    ++migrated;
  }
  for (const auto& [text, path] : scan->legacy) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    auto file = fs.OpenInputFile(path);
    auto summary = file.ok() ? ReadParquetSummary(*file).status() : file.status();
    // A failing read (perhaps transient) is never taken for an absent dataset; Parquet
    // reports a corrupt footer as IOError too, but without an errno.
    if (!file.ok() || ErrnoOf(summary) != 0) return StorageError(summary, "load", name);
    if (!summary.ok()) {
      spdlog::warn("store: skipping {}: not a readable Parquet file", path);
      ++scan->skipped;
      continue;
    }
    ARROW_RETURN_NOT_OK(migrator.Migrate(name, path));
    scan->datasets[text].versions.push_back(1);
    ++migrated;
  }
  for (auto& [text, files] : scan->datasets) {
    const bool has_migrated_part = std::find(files.parts.begin(), files.parts.end(),
                                             Layout::kMigratedPart) != files.parts.end();
    if (files.versions.empty() && has_migrated_part) {
      // Interrupted after the part was moved, before its manifest was written.
      ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
      ARROW_RETURN_NOT_OK(migrator.Finish(name));
      files.versions.push_back(1);
      ++migrated;
    }
  }
  return migrated;
}

arrow::Result<size_t> DatasetStoreImpl::LoadCatalog(const RootScan& scan,
                                                    size_t* skipped) {
  auto& fs = *options_.filesystem;
  size_t orphans = 0;
  for (const auto& [text, found] : scan.datasets) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    std::vector<int64_t> versions = found.versions;
    std::sort(versions.begin(), versions.end());
    versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
    std::set<std::string> referenced;
    if (!versions.empty()) {
      auto head = log_.Read(name, versions.back());
      if (!head.ok() && head.status().IsIOError()) {
        // Perhaps transient (EIO, EACCES...): skipping the dataset would hide it, and
        // let an upload of its name start a new history over it.
        return StorageError(head.status(), "load", name);
      }
      if (!head.ok()) {
        spdlog::error(
            "store: dataset '{}' skipped: its current manifest is unreadable: {}", text,
            head.status().ToString());
        ++*skipped;
        continue;
      }
      for (const auto& part : head->parts) referenced.insert(part.file);
      catalog_.Put(
          DatasetInfo::Of(name, std::make_shared<const Manifest>(std::move(*head))));
      // Older versions reference parts too (read only when some part is not the
      // current version's: usually none after appends).
      bool all_current = true;
      for (const auto& part : found.parts) all_current &= referenced.count(part) > 0;
      bool all_read = true;
      for (size_t i = 0; !all_current && i + 1 < versions.size(); ++i) {
        auto older = log_.Read(name, versions[i]);
        if (!older.ok()) {
          // What it references is unknown: none of the parts may be called orphaned.
          spdlog::warn("store: dataset '{}' version {} unreadable, parts kept: {}", text,
                       versions[i], older.status().ToString());
          all_read = false;
          break;
        }
        for (const auto& part : older->parts) referenced.insert(part.file);
      }
      if (!all_read) continue;
    }
    // Parts no manifest references were left by uploads interrupted by a crash. A
    // local root is served by one process, so none of them is still being written.
    if (!LocalPathOf(fs, layout_.root())) continue;
    for (const auto& part : found.parts) {
      if (referenced.count(part)) continue;
      if (fs.DeleteFile(layout_.PartPath(name, part)).ok()) ++orphans;
    }
    if (versions.empty()) {
      (void)RemoveEmptyDirectory(fs, layout_.PartsDir(name));
      (void)RemoveEmptyDirectory(fs, layout_.ManifestDir(name));
      (void)RemoveEmptyDirectory(fs, layout_.DatasetDir(name));
    }
  }
  return orphans;
}

}  // namespace quiver::store
