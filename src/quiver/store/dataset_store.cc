#include "quiver/store/dataset_store.h"

#include <atomic>
#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <arrow/compute/initialize.h>
#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>
#include <parquet/arrow/writer.h>

#include "quiver/store/durability.h"
#include "quiver/store/parquet_format.h"
#include "quiver/store/traced_reader.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {
namespace {

std::string UniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}-{}", rng(), counter.fetch_add(1));
}

std::string_view BaseName(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

arrow::Status NotFound(const DatasetName& name) {
  return arrow::Status::KeyError("dataset '", name.ToString(), "' not found");
}

}  // namespace

arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name) {
  spdlog::error("storage: {} of dataset '{}' failed: {}", what, name.ToString(),
                cause.ToString());
  return arrow::Status::IOError("storage failure during ", what, " of dataset '",
                                name.ToString(), "'");
}

DatasetStore::DatasetStore(StoreOptions options)
    : options_(std::move(options)), layout_(options_.root) {}

arrow::Result<std::shared_ptr<DatasetStore>> DatasetStore::Make(StoreOptions options) {
  if (!options.filesystem) return arrow::Status::Invalid("store needs a filesystem");
  if (options.root.empty()) return arrow::Status::Invalid("store needs a root directory");
  // Type restoration casts with Arrow compute kernels (idempotent).
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
  std::shared_ptr<DatasetStore> store(new DatasetStore(std::move(options)));
  ARROW_RETURN_NOT_OK(store->Load());
  return store;
}

arrow::Status DatasetStore::Load() {
  auto& fs = *options_.filesystem;
  ARROW_RETURN_NOT_OK(fs.CreateDir(layout_.root(), /*recursive=*/true));
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.root();
  selector.recursive = true;
  ARROW_ASSIGN_OR_RAISE(auto entries, fs.GetFileInfo(selector));
  size_t removed = 0, skipped = 0;
  for (const auto& entry : entries) {
    if (!entry.IsFile()) continue;
    std::string_view base = BaseName(entry.path());
    if (Layout::IsTempFile(base)) {
      auto st = fs.DeleteFile(entry.path());
      if (st.ok())
        ++removed;
      else
        spdlog::warn("store: cannot remove leftover upload {}: {}", entry.path(),
                     st.ToString());
      continue;
    }
    auto name = layout_.NameOf(entry.path());
    if (!name.ok()) {
      if (!base.starts_with(".")) {
        spdlog::warn("store: skipping {}: {}", entry.path(), name.status().message());
      }
      ++skipped;
      continue;
    }
    auto info = ReadInfo(*name, entry.path(), entry.size());
    if (!info.ok()) {
      spdlog::warn("store: skipping {}: not a readable Parquet file ({})", entry.path(),
                   info.status().message());
      ++skipped;
      continue;
    }
    catalog_.Put(std::move(*info));
  }
  spdlog::info(
      "store: {} datasets ({} bytes); removed {} leftover uploads, skipped {} files",
      catalog_.size(), catalog_.total_bytes(), removed, skipped);
  return arrow::Status::OK();
}

arrow::Result<DatasetInfo> DatasetStore::ReadInfo(const DatasetName& name,
                                                  const std::string& path,
                                                  int64_t size) const {
  ARROW_ASSIGN_OR_RAISE(auto file, options_.filesystem->OpenInputFile(path));
  ARROW_ASSIGN_OR_RAISE(auto summary, ReadParquetSummary(file));
  if (size < 0) {
    ARROW_ASSIGN_OR_RAISE(size, file->GetSize());
  }
  return DatasetInfo{name, std::move(summary.schema), summary.num_rows, size};
}

std::vector<DatasetInfo> DatasetStore::List(std::string_view prefix) const {
  return catalog_.List(prefix);
}

arrow::Result<DatasetInfo> DatasetStore::Get(const DatasetName& name) const {
  auto info = catalog_.Find(name);
  if (!info) return NotFound(name);
  return std::move(*info);
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStore::OpenReader(
    const DatasetName& name) const {
  if (!catalog_.Find(name)) return NotFound(name);
  auto span = telemetry::StartSpan("parquet.read");
  span.SetAttribute("quiver.dataset", name.ToString());
  auto file = options_.filesystem->OpenInputFile(layout_.DataPath(name));
  if (!file.ok()) {
    // Dropped between the catalog look-up and the open.
    if (!catalog_.Find(name)) return NotFound(name);
    span.RecordError(file.status());
    return StorageError(file.status(), "read", name);
  }
  auto reader = OpenParquetReader(std::move(*file), options_.read);
  if (!reader.ok()) {
    span.RecordError(reader.status());
    return StorageError(reader.status(), "read", name);
  }
  return MakeTracedReader(std::move(*reader), std::move(span));
}

arrow::Result<std::unique_ptr<DatasetUpload>> DatasetStore::BeginUpload(
    const DatasetName& name, std::shared_ptr<arrow::Schema> schema) {
  if (!schema)
    return arrow::Status::Invalid("upload of '", name.ToString(), "' has no schema");
  if (auto other = catalog_.FindConflict(name)) {
    return arrow::Status::AlreadyExists("dataset '", name.ToString(),
                                        "' conflicts with existing dataset '",
                                        other->ToString(), "'");
  }
  auto& fs = *options_.filesystem;
  auto st = fs.CreateDir(layout_.ParentDir(name), /*recursive=*/true);
  if (!st.ok()) return StorageError(st, "upload", name);
  std::string temp_path = layout_.TempPath(name, UniqueSuffix());
  auto sink = fs.OpenOutputStream(temp_path);
  if (!sink.ok()) return StorageError(sink.status(), "upload", name);
  auto writer = OpenParquetWriter(schema, *sink, options_.write);
  if (!writer.ok()) {
    (void)(*sink)->Close();
    RemoveTemp(temp_path);
    // Schemas Parquet cannot store are the client's problem, not a storage failure.
    return arrow::Status::Invalid("cannot store schema of '", name.ToString(),
                                  "' as Parquet: ", writer.status().message());
  }
  std::unique_ptr<DatasetUpload> upload(
      new DatasetUpload(shared_from_this(), name, std::move(schema), std::move(temp_path),
                        std::move(*sink), std::move(*writer)));
  upload->write_span_ = telemetry::StartSpan("parquet.write");
  upload->write_span_.SetAttribute("quiver.dataset", name.ToString());
  return upload;
}

arrow::Result<DatasetInfo> DatasetStore::Publish(const DatasetName& name,
                                                 const std::string& temp_path,
                                                 std::shared_ptr<arrow::Schema> schema,
                                                 int64_t num_rows) {
  auto& fs = *options_.filesystem;
  auto st = SyncFile(fs, temp_path);
  if (!st.ok()) return StorageError(st, "commit", name);
  ARROW_ASSIGN_OR_RAISE(auto file_info, fs.GetFileInfo(temp_path));
  DatasetInfo info{name, std::move(schema), num_rows, file_info.size()};

  std::lock_guard lock(publish_mutex_);
  if (auto other = catalog_.FindConflict(name)) {
    return arrow::Status::AlreadyExists("dataset '", name.ToString(),
                                        "' conflicts with existing dataset '",
                                        other->ToString(), "'");
  }
  // A directory left by dropped nested datasets ("a/b" dropped, now "a") may stand
  // where the file goes; it is removed if empty (otherwise the rename fails).
  (void)RemoveEmptyDirectory(fs, layout_.DataPath(name));
  st = fs.Move(temp_path, layout_.DataPath(name));
  if (!st.ok()) return StorageError(st, "commit", name);
  st = SyncDirectory(fs, layout_.ParentDir(name));
  if (!st.ok())
    spdlog::warn("store: directory fsync after commit failed: {}", st.ToString());
  catalog_.Put(info);
  return info;
}

arrow::Status DatasetStore::Drop(const DatasetName& name) {
  auto& fs = *options_.filesystem;
  std::lock_guard lock(publish_mutex_);
  if (!catalog_.Find(name)) return NotFound(name);
  auto st = fs.DeleteFile(layout_.DataPath(name));
  if (!st.ok()) return StorageError(st, "drop", name);
  catalog_.Erase(name);
  st = SyncDirectory(fs, layout_.ParentDir(name));
  if (!st.ok()) {
    spdlog::warn("store: directory fsync after drop failed: {}", st.ToString());
  }
  // Remove the directories the drop left empty, innermost first.
  std::vector<std::string> segments = name.segments();
  for (segments.pop_back(); !segments.empty(); segments.pop_back()) {
    auto parent = DatasetName::Make(segments);
    if (!parent.ok() || !RemoveEmptyDirectory(fs, layout_.DataPath(*parent)).ok()) break;
  }
  return arrow::Status::OK();
}

arrow::Status DatasetStore::CheckReachable() const {
  ARROW_ASSIGN_OR_RAISE(auto info, options_.filesystem->GetFileInfo(layout_.root()));
  if (!info.IsDirectory()) return arrow::Status::IOError("store root is not a directory");
  return arrow::Status::OK();
}

void DatasetStore::RemoveTemp(const std::string& temp_path) const {
  auto st = options_.filesystem->DeleteFile(temp_path);
  if (!st.ok()) spdlog::warn("store: cannot remove {}: {}", temp_path, st.ToString());
}

}  // namespace quiver::store
