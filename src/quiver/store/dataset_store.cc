#include <chrono>

#include <spdlog/spdlog.h>

#include <arrow/compute/initialize.h>
#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>
#include <arrow/type.h>

#include "quiver/common/rfc3339.h"
#include "quiver/common/unique_name.h"
#include "quiver/store/cache/footer_cache.h"
#include "quiver/store/cache/part_cache.h"
#include "quiver/store/catalog_refresher_internal.h"
#include "quiver/store/compactor_internal.h"
#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/fs/durability.h"
#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/fs/exclusive_creator_factory.h"
#include "quiver/store/fs/local_path.h"
#include "quiver/store/garbage_collector_internal.h"
#include "quiver/store/model/schema_diff.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/multi_part_reader.h"
#include "quiver/store/parquet/parquet_format.h"
#include "quiver/store/parquet/storage_error_reader.h"
#include "quiver/store/parquet/traced_reader.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {
namespace {

/// Commits retried on top of a newer head before giving up (a sign of a livelock
/// between very many writers of one dataset).
constexpr int kMaxCommitAttempts = 1000;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

arrow::Status VersionNotFound(const DatasetName& name, int64_t version) {
  return arrow::Status::KeyError("version ", version, " of dataset '", name.ToString(),
                                 "' does not exist");
}

}  // namespace

DatasetStoreImpl::DatasetStoreImpl(StoreOptions options)
    : options_(std::move(options)),
      layout_(options_.root),
      log_(options_.filesystem, layout_, options_.exclusive_creator) {
  if (options_.read.footer_cache_bytes > 0) {
    footer_cache_ = std::make_shared<FooterCache>(options_.read.footer_cache_bytes);
  }
  gc_ = std::make_unique<GarbageCollector>(*this);
  compactor_ = std::make_unique<Compactor>(*this);
  refresher_ = std::make_unique<CatalogRefresher>(*this);
}

DatasetStoreImpl::~DatasetStoreImpl() {
  stopping_ = true;
  // Nothing the background threads run owns the store (readers own only what they
  // read), so this never runs on one of them; each joins its thread.
  compactor_.reset();
  gc_.reset();
  refresher_.reset();
}

arrow::Result<std::shared_ptr<DatasetStore>> DatasetStore::Make(StoreOptions options) {
  ARROW_ASSIGN_OR_RAISE(auto store, DatasetStoreImpl::Make(std::move(options)));
  return store;
}

arrow::Result<std::shared_ptr<DatasetStoreImpl>> DatasetStoreImpl::Make(
    StoreOptions options) {
  if (!options.filesystem) return arrow::Status::Invalid("store needs a filesystem");
  if (options.root.empty()) return arrow::Status::Invalid("store needs a root directory");
  if (!options.exclusive_creator) {
    ARROW_ASSIGN_OR_RAISE(options.exclusive_creator,
                          MakeExclusiveCreator(*options.filesystem));
  }
  // Type restoration casts with Arrow compute kernels (idempotent).
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
  std::shared_ptr<DatasetStoreImpl> store(new DatasetStoreImpl(std::move(options)));
  if (store->options_.part_cache) {
    // Inside a local root, the cache's files would be taken for the store's.
    auto root = LocalPathOf(*store->options_.filesystem, store->options_.root);
    auto dir = AbsoluteLocalPath(store->options_.part_cache->directory);
    if (root && dir.ok() && (*dir + "/").starts_with(*root + "/")) {
      return arrow::Status::Invalid("the part cache directory ",
                                    store->options_.part_cache->directory,
                                    " is inside the store's root: choose another");
    }
    auto cache = PartCache::Make(*store->options_.part_cache);
    if (!cache.ok()) {
      return cache.status().WithMessage("cannot open the part cache in ",
                                        store->options_.part_cache->directory, ": ",
                                        cache.status().message());
    }
    store->part_cache_ = std::move(*cache);
  }
  ARROW_RETURN_NOT_OK(store->Load());
  if (store->options_.maintenance.background) {
    store->gc_->StartLoop();
    store->compactor_->StartLoop();
    if (store->options_.shared &&
        store->options_.maintenance.catalog_refresh.count() > 0) {
      store->refresher_->StartLoop();
    }
  }
  return store;
}

std::vector<DatasetInfo> DatasetStoreImpl::List(std::string_view prefix) const {
  return catalog_.List(prefix);
}

arrow::Result<DatasetInfo> DatasetStoreImpl::Get(const DatasetName& name) const {
  ARROW_ASSIGN_OR_RAISE(auto info, LookUp(name));
  if (!info || info->dropped()) return DatasetNotFound(name);
  return std::move(*info);
}

arrow::Result<DatasetInfo> DatasetStoreImpl::GetVersion(const DatasetName& name,
                                                        int64_t version) const {
  if (auto head = catalog_.FindHead(name); head && head->version == version) {
    if (head->dropped()) return VersionNotFound(name, version);
    return std::move(*head);
  }
  auto manifest = log_.Read(name, version);
  if (!manifest.ok()) {
    if (manifest.status().IsKeyError()) return VersionNotFound(name, version);
    return StorageError(manifest.status(), "read", name);
  }
  if (manifest->dropped()) {
    return arrow::Status::KeyError("version ", version, " of dataset '", name.ToString(),
                                   "' is its drop; it holds no data");
  }
  return DatasetInfo::Of(name, std::make_shared<const Manifest>(std::move(*manifest)));
}

arrow::Result<std::vector<DatasetInfo>> DatasetStoreImpl::ListVersions(
    const DatasetName& name) const {
  auto versions = log_.ListVersions(name);
  if (!versions.ok()) return StorageError(versions.status(), "listing versions", name);
  std::vector<DatasetInfo> out;
  for (int64_t version : *versions) {
    auto manifest = log_.Read(name, version);
    if (manifest.status().IsKeyError()) continue;  // collected meanwhile
    if (!manifest.ok()) return StorageError(manifest.status(), "listing versions", name);
    out.push_back(
        DatasetInfo::Of(name, std::make_shared<const Manifest>(std::move(*manifest))));
  }
  if (out.empty()) return DatasetNotFound(name);
  return out;
}

arrow::Result<DatasetInfo> DatasetStoreImpl::GetAsOf(const DatasetName& name,
                                                     int64_t micros) const {
  ARROW_ASSIGN_OR_RAISE(auto versions, ListVersions(name));
  const DatasetInfo* found = nullptr;
  for (const auto& info : versions) {
    if (info.committed_at_us <= micros) found = &info;
  }
  if (found == nullptr) {
    return arrow::Status::KeyError("dataset '", name.ToString(),
                                   "' has no version as of ", FormatRfc3339Utc(micros),
                                   " (it did not exist yet, or that is past retention)");
  }
  if (found->dropped()) {
    return arrow::Status::KeyError("dataset '", name.ToString(), "' was dropped as of ",
                                   FormatRfc3339Utc(micros));
  }
  return *found;
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStoreImpl::OpenReader(
    const DatasetName& name) const {
  // The current version may be superseded and collected between the look-up and the
  // pin (only with a zero grace period): then the new current version is read.
  for (int attempt = 0;; ++attempt) {
    ARROW_ASSIGN_OR_RAISE(auto info, Get(name));
    auto reader = OpenReader(info);
    if (reader.ok() || !reader.status().IsKeyError() || attempt >= 3) return reader;
  }
}

arrow::Result<std::unique_ptr<PartWriter>> DatasetStoreImpl::NewPart(
    const DatasetName& name, std::shared_ptr<arrow::Schema> schema) {
  std::string file = UniqueName("", ".parquet");
  std::string path = layout_.PartPath(name, file);
  {
    std::lock_guard lock(uploads_.DatasetMutex(name));
    auto st = options_.filesystem->CreateDir(layout_.PartsDir(name), /*recursive=*/true);
    if (!st.ok()) return StorageError(st, "upload", name);
    uploads_.Add(path);
  }
  auto part = PartWriter::Open(options_.filesystem, path, std::move(file), name,
                               std::move(schema), options_.write);
  if (!part.ok()) EndUpload(path);
  return part;
}

void DatasetStoreImpl::DeletePart(const DatasetName& name,
                                  const std::string& path) const {
  auto st = options_.filesystem->DeleteFile(path);
  if (!st.ok()) {
    spdlog::warn("store: cannot remove a part of '{}': {}", name.ToString(),
                 st.ToString());
  }
}

arrow::Result<std::unique_ptr<DatasetUpload>> DatasetStoreImpl::BeginUpload(
    const DatasetName& name, std::shared_ptr<arrow::Schema> schema, UploadMode mode) {
  if (!schema)
    return arrow::Status::Invalid("upload of '", name.ToString(), "' has no schema");
  if (auto other = catalog_.FindConflict(name)) {
    return arrow::Status::AlreadyExists("dataset '", name.ToString(),
                                        "' conflicts with existing dataset '",
                                        other->ToString(), "'");
  }
  if (mode == UploadMode::kAppend) {
    // Checked again at commit; refusing early spares the client a wasted upload.
    if (auto current = catalog_.Find(name)) {
      if (auto diff = DescribeSchemaDifference(*current->schema, *schema)) {
        return arrow::Status::Invalid("cannot append to '", name.ToString(),
                                      "': ", *diff);
      }
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto part, NewPart(name, schema));
  return std::unique_ptr<DatasetUpload>(new DatasetUpload(
      shared_from_this(), name, std::move(schema), mode, std::move(part)));
}

arrow::Result<DatasetInfo> DatasetStoreImpl::CommitUpload(const DatasetUpload& upload,
                                                          PartInfo part) {
  const DatasetName& name = upload.name();
  auto st = SyncDirectory(*options_.filesystem, layout_.PartsDir(name));
  if (!st.ok()) return StorageError(st, "commit", name);
  const bool append = upload.mode() == UploadMode::kAppend;
  auto info = CommitNext(name, [&](const Manifest* head) -> arrow::Result<Manifest> {
    Manifest next;
    next.schema = upload.schema();
    next.operation = append ? VersionOperation::kAppend : VersionOperation::kOverwrite;
    if (append && head != nullptr && !head->dropped()) {
      if (auto diff = DescribeSchemaDifference(*head->schema, *upload.schema())) {
        return arrow::Status::Invalid("cannot append to '", name.ToString(),
                                      "': ", *diff);
      }
      next.schema = head->schema;
      next.parts = head->parts;
    }
    next.parts.push_back(part);
    return next;
  });
  if (info.ok() && append && options_.maintenance.compact_min_parts > 0 &&
      static_cast<int64_t>(info->manifest->parts.size()) >
          options_.maintenance.compact_min_parts) {
    compactor_->Enqueue(name);
  }
  return info;
}

arrow::Result<DatasetInfo> DatasetStoreImpl::CommitNext(const DatasetName& name,
                                                        const NextManifest& next) {
  std::shared_ptr<const Manifest> head;
  if (auto entry = catalog_.FindHead(name)) head = entry->manifest;
  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    ARROW_ASSIGN_OR_RAISE(Manifest manifest, next(head.get()));
    manifest.dataset = name.ToString();
    manifest.version = head ? head->version + 1 : 1;
    manifest.committed_at_us =
        std::max(NowMicros(), head ? head->committed_at_us + 1 : int64_t{0});
    auto st = log_.Create(name, manifest);
    if (st.ok()) {
      auto committed = std::make_shared<const Manifest>(std::move(manifest));
      auto info = DatasetInfo::Of(name, committed);
      catalog_.Put(info);
      return info;
    }
    if (!st.IsAlreadyExists()) return StorageError(st, "commit", name);
    // Another writer committed this version first: build again on top of it.
    auto newer = log_.ReadHead(name);
    if (!newer.ok()) return StorageError(newer.status(), "commit", name);
    if (!newer->has_value()) return StorageError(st, "commit", name);
    head = std::make_shared<const Manifest>(std::move(**newer));
    catalog_.Put(DatasetInfo::Of(name, head));
  }
  return arrow::Status::IOError("commit of dataset '", name.ToString(),
                                "' kept losing to other writers; try again");
}

arrow::Status DatasetStoreImpl::Drop(const DatasetName& name) {
  ARROW_RETURN_NOT_OK(Get(name).status());
  auto info = CommitNext(name, [&](const Manifest* head) -> arrow::Result<Manifest> {
    if (head == nullptr || head->dropped()) return DatasetNotFound(name);
    Manifest next;
    next.operation = VersionOperation::kDrop;
    next.schema = head->schema;
    return next;
  });
  return info.status();
}

arrow::Result<DatasetInfo> DatasetStoreImpl::Restore(const DatasetName& name,
                                                     int64_t version) {
  ARROW_ASSIGN_OR_RAISE(auto old, GetVersion(name, version));
  // Pinned: retention cannot take the parts while the new version is being made.
  ARROW_ASSIGN_OR_RAISE(auto pin, pins_->Acquire(name.ToString(), version));
  if (auto other = catalog_.FindConflict(name)) {
    return arrow::Status::AlreadyExists("dataset '", name.ToString(),
                                        "' conflicts with existing dataset '",
                                        other->ToString(), "'");
  }
  return CommitNext(name, [&](const Manifest*) -> arrow::Result<Manifest> {
    Manifest next;
    next.operation = VersionOperation::kRestore;
    next.schema = old.schema;
    next.parts = old.manifest->parts;
    next.restored_from = version;
    return next;
  });
}

arrow::Result<DatasetInfo> DatasetStoreImpl::Compact(const DatasetName& name) {
  return compactor_->Compact(name);
}

GcReport DatasetStoreImpl::CollectGarbage() { return gc_->CollectAll(); }

arrow::Status DatasetStoreImpl::RefreshCatalog() { return refresher_->Refresh(); }

arrow::Status DatasetStoreImpl::CheckReachable() const {
  auto info = options_.filesystem->GetFileInfo(layout_.root());
  if (!info.ok()) return StorageFailure(info.status(), "store root is not reachable");
  if (!info->IsDirectory()) {
    return StorageFailure(arrow::Status::OK(), "store root is not a directory");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::store
