#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/fs/durability.h"
#include "quiver/store/legacy_migrator_internal.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/parquet_format.h"

namespace quiver::store {

arrow::Status LegacyMigrator::Migrate(const DatasetName& name, const std::string& path) {
  auto& fs = fs_;
  // 1. Move the file aside, so that its path can become the dataset's directory.
  auto st = fs.Move(path, layout_.MigratingPath(name));
  if (!st.ok()) return StorageError(st, "migration", name);
  st = SyncDirectory(fs, layout_.ParentDir(name));
  if (!st.ok()) return StorageError(st, "migration", name);
  return Finish(name);
}

arrow::Status LegacyMigrator::Finish(const DatasetName& name) {
  auto& fs = fs_;
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
