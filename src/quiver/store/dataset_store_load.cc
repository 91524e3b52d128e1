// DatasetStore start-up: clean-up of interrupted writes, migration of the one-file
// layout of earlier releases, and the catalog load.
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/durability.h"
#include "quiver/store/parquet_format.h"
#include "quiver/store/storage_error.h"
#include "quiver/store/store_errors.h"

namespace quiver::store {
namespace {

struct DatasetFiles {
  std::vector<int64_t> versions;
  std::vector<std::string> parts;
};

}  // namespace

arrow::Status DatasetStore::Load() {
  auto& fs = *options_.filesystem;
  ARROW_RETURN_NOT_OK(fs.CreateDir(layout_.root(), /*recursive=*/true));
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.root();
  selector.recursive = true;
  ARROW_ASSIGN_OR_RAISE(auto entries, fs.GetFileInfo(selector));

  std::map<std::string, DatasetFiles> datasets;
  std::vector<std::pair<std::string, std::string>> legacy;  // name, path
  std::set<std::string> migrating;
  size_t removed = 0, skipped = 0;
  for (const auto& entry : entries) {
    if (!entry.IsFile()) continue;
    auto kind = layout_.Classify(entry.path());
    switch (kind.kind) {
      case Layout::Kind::kManifest:
        datasets[kind.name].versions.push_back(kind.version);
        break;
      case Layout::Kind::kPart:
        datasets[kind.name].parts.push_back(kind.file);
        break;
      case Layout::Kind::kManifestTemp:
      case Layout::Kind::kLegacyTemp: {
        auto st = fs.DeleteFile(entry.path());
        if (st.ok()) ++removed;
        break;
      }
      case Layout::Kind::kMigrating:
        migrating.insert(kind.name);
        break;
      case Layout::Kind::kLegacyData:
        legacy.emplace_back(kind.name, entry.path());
        break;
      case Layout::Kind::kOther:
        ++skipped;
        break;
    }
  }

  // Migration of the one-file layout, finishing interrupted ones first.
  size_t migrated = 0;
  for (const auto& text : migrating) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    ARROW_RETURN_NOT_OK(FinishMigration(name));
    datasets[text].versions.push_back(1);
    ++migrated;
  }
  for (const auto& [text, path] : legacy) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    auto file = fs.OpenInputFile(path);
    auto summary = file.ok() ? ReadParquetSummary(*file).status() : file.status();
    // A failing read (perhaps transient) is never taken for an absent dataset; Parquet
    // reports a corrupt footer as IOError too, but without an errno.
    if (!file.ok() || ErrnoOf(summary) != 0) return StorageError(summary, "load", name);
    if (!summary.ok()) {
      spdlog::warn("store: skipping {}: not a readable Parquet file", path);
      ++skipped;
      continue;
    }
    ARROW_RETURN_NOT_OK(MigrateLegacy(name, path));
    datasets[text].versions.push_back(1);
    ++migrated;
  }
  for (auto& [text, files] : datasets) {
    bool has_migrated_part = false;
    for (const auto& part : files.parts)
      has_migrated_part |= part == Layout::kMigratedPart;
    if (files.versions.empty() && has_migrated_part) {
      // Interrupted after the part was moved, before its manifest was written.
      ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
      ARROW_RETURN_NOT_OK(FinishMigration(name));
      files.versions.push_back(1);
      ++migrated;
    }
  }

  // The catalog: the highest manifest of each dataset.
  size_t orphans = 0;
  for (auto& [text, files] : datasets) {
    ARROW_ASSIGN_OR_RAISE(auto name, DatasetName::Parse(text));
    std::sort(files.versions.begin(), files.versions.end());
    files.versions.erase(std::unique(files.versions.begin(), files.versions.end()),
                         files.versions.end());
    std::set<std::string> referenced;
    if (!files.versions.empty()) {
      auto head = log_.Read(name, files.versions.back());
      if (!head.ok() && head.status().IsIOError()) {
        // Perhaps transient (EIO, EACCES...): skipping the dataset would hide it, and
        // let an upload of its name start a new history over it.
        return StorageError(head.status(), "load", name);
      }
      if (!head.ok()) {
        spdlog::error(
            "store: dataset '{}' skipped: its current manifest is unreadable: {}", text,
            head.status().ToString());
        ++skipped;
        continue;
      }
      for (const auto& part : head->parts) referenced.insert(part.file);
      catalog_.Put(
          DatasetInfo::Of(name, std::make_shared<const Manifest>(std::move(*head))));
      // Older versions reference parts too (read only when some part is not the
      // current version's: usually none after appends).
      bool all_current = true;
      for (const auto& part : files.parts) all_current &= referenced.count(part) > 0;
      bool all_read = true;
      for (size_t i = 0; !all_current && i + 1 < files.versions.size(); ++i) {
        auto older = log_.Read(name, files.versions[i]);
        if (!older.ok()) {
          // What it references is unknown: none of the parts may be called orphaned.
          spdlog::warn("store: dataset '{}' version {} unreadable, parts kept: {}", text,
                       files.versions[i], older.status().ToString());
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
    for (const auto& part : files.parts) {
      if (referenced.count(part)) continue;
      if (fs.DeleteFile(layout_.PartPath(name, part)).ok()) ++orphans;
    }
    if (files.versions.empty()) {
      (void)RemoveEmptyDirectory(fs, layout_.PartsDir(name));
      (void)RemoveEmptyDirectory(fs, layout_.ManifestDir(name));
      (void)RemoveEmptyDirectory(fs, layout_.DatasetDir(name));
    }
  }
  spdlog::info(
      "store: {} datasets ({} bytes); migrated {} one-file datasets; removed {} "
      "leftover temporary files and {} orphaned parts; skipped {} files",
      catalog_.size(), catalog_.total_bytes(), migrated, removed, orphans, skipped);
  return arrow::Status::OK();
}

arrow::Status DatasetStore::MigrateLegacy(const DatasetName& name,
                                          const std::string& path) {
  auto& fs = *options_.filesystem;
  // 1. Move the file aside, so that its path can become the dataset's directory.
  auto st = fs.Move(path, layout_.MigratingPath(name));
  if (!st.ok()) return StorageError(st, "migration", name);
  st = SyncDirectory(fs, layout_.ParentDir(name));
  if (!st.ok()) return StorageError(st, "migration", name);
  return FinishMigration(name);
}

arrow::Status DatasetStore::FinishMigration(const DatasetName& name) {
  auto& fs = *options_.filesystem;
  std::string part_path = layout_.PartPath(name, Layout::kMigratedPart);
  // 2. Move it into the dataset's parts directory (unless a crash came after that).
  ARROW_ASSIGN_OR_RAISE(auto aside, fs.GetFileInfo(layout_.MigratingPath(name)));
  if (aside.IsFile()) {
    auto st = fs.CreateDir(layout_.PartsDir(name), /*recursive=*/true);
    if (st.ok()) st = fs.Move(layout_.MigratingPath(name), part_path);
    if (st.ok()) st = SyncDirectory(fs, layout_.PartsDir(name));
    if (st.ok()) st = SyncDirectory(fs, layout_.ParentDir(name));
    if (!st.ok()) return StorageError(st, "migration", name);
  }
  // 3. Its manifest, version 1 (exclusive: a second run finds it there).
  ARROW_ASSIGN_OR_RAISE(auto versions, log_.ListVersions(name));
  if (!versions.empty()) return arrow::Status::OK();
  auto file = fs.OpenInputFile(part_path);
  if (!file.ok()) return StorageError(file.status(), "migration", name);
  auto size = (*file)->GetSize();
  auto summary = ReadParquetSummary(*file);
  if (!summary.ok() || !size.ok()) {
    return StorageError(summary.ok() ? size.status() : summary.status(), "migration",
                        name);
  }
  auto info = fs.GetFileInfo(part_path);
  Manifest manifest;
  manifest.dataset = name.ToString();
  manifest.version = 1;
  manifest.operation = VersionOperation::kMigrate;
  manifest.schema = summary->schema;
  int64_t mtime_us = 0;
  if (info.ok()) {
    mtime_us = std::chrono::duration_cast<std::chrono::microseconds>(
                   info->mtime().time_since_epoch())
                   .count();
  }
  manifest.committed_at_us = std::max<int64_t>(mtime_us, 0);
  PartInfo part;
  part.file = std::string(Layout::kMigratedPart);
  part.num_rows = summary->num_rows;
  part.bytes = *size;
  part.row_groups = summary->num_row_groups;
  manifest.parts.push_back(std::move(part));
  auto st = log_.Create(name, manifest);
  if (!st.ok() && !st.IsAlreadyExists()) return StorageError(st, "migration", name);
  spdlog::info("store: migrated dataset '{}' into version 1", name.ToString());
  return arrow::Status::OK();
}

}  // namespace quiver::store
