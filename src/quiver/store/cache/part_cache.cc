#include "quiver/store/cache/part_cache.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/localfs.h>
#include <arrow/ipc/reader.h>
#include <arrow/type.h>

#include "quiver/store/cache/lru_index.h"
#include "quiver/store/cache/mapped_input_stream_internal.h"
#include "quiver/store/cache/part_cache_writer_internal.h"
#include "quiver/store/fs/local_path.h"

namespace quiver::store {
namespace {

constexpr std::string_view kEntriesDir = "parts-v1";
constexpr std::string_view kSuffix = ".arrow";

/// Keys are relative paths made by the store; anything else is never a file name.
bool SafeKey(const std::string& key) {
  if (key.empty() || key.front() == '/' || key.back() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = std::min(key.find('/', start), key.size());
    std::string_view segment(key.data() + start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return key.find('\0') == std::string::npos;
}

/// Reads one entry; fails if it ends with another row count than its part's.
class CachedPartReader : public arrow::RecordBatchReader {
 public:
  CachedPartReader(std::shared_ptr<arrow::ipc::RecordBatchStreamReader> ipc,
                   std::shared_ptr<arrow::Schema> schema, int64_t num_rows,
                   std::function<void()> on_corrupt)
      : ipc_(std::move(ipc)),
        schema_(std::move(schema)),
        expected_rows_(num_rows),
        on_corrupt_(std::move(on_corrupt)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    auto status = ipc_->ReadNext(batch);
    if (status.ok() && *batch != nullptr) {
      // Its consumers (the multi-part and projected readers) give it their schema.
      rows_ += (*batch)->num_rows();
      return status;
    }
    if (status.ok() && rows_ != expected_rows_) {
      status = arrow::Status::IOError("a cached part holds ", rows_, " rows, its part ",
                                      expected_rows_);
    }
    if (!status.ok()) on_corrupt_();
    return status;
  }

  arrow::Status Close() override { return ipc_->Close(); }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchStreamReader> ipc_;
  std::shared_ptr<arrow::Schema> schema_;
  int64_t expected_rows_;
  int64_t rows_ = 0;
  std::function<void()> on_corrupt_;
};

}  // namespace

std::string PartCacheKey(std::string_view dataset, std::string_view part_file) {
  return std::string(dataset) + "/" + std::string(part_file);
}

/// Passes a part's batches through and hands them to the cache's writer.
class FillingReader : public arrow::RecordBatchReader {
 public:
  FillingReader(std::shared_ptr<PartCache> cache, uint64_t fill,
                std::shared_ptr<arrow::RecordBatchReader> reader)
      : cache_(std::move(cache)), fill_(fill), reader_(std::move(reader)) {}

  ~FillingReader() override { Stop(false); }

  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    auto status = reader_->ReadNext(batch);
    if (!status.ok()) {
      Stop(false);
    } else if (*batch == nullptr) {
      Stop(true);
    } else if (!ended_) {
      cache_->Write(fill_, *batch);
    }
    return status;
  }

  arrow::Status Close() override {
    Stop(false);
    return reader_->Close();
  }

 private:
  void Stop(bool complete) {
    if (ended_) return;
    ended_ = true;
    cache_->End(fill_, complete);
  }

  std::shared_ptr<PartCache> cache_;
  uint64_t fill_;
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  bool ended_ = false;
};

PartCache::PartCache(PartCacheOptions options)
    : options_(std::move(options)),
      entries_dir_(options_.directory + "/" + std::string(kEntriesDir)),
      index_(std::make_unique<LruIndex>(options_.max_bytes)) {
  PartCacheWriter::Callbacks callbacks;
  callbacks.committed = [this](const std::string& key, int64_t bytes) {
    ++counters_.fills;
    for (const auto& evicted : index_->Insert(key, bytes)) {
      ++counters_.evictions;
      arrow::fs::LocalFileSystem fs;
      (void)fs.DeleteFile(PathOf(evicted));
    }
  };
  callbacks.dropped = [this](const std::string& key, const arrow::Status& why) {
    index_->AbandonFill(key);
    if (why.ok()) return;
    ++counters_.fill_errors;
    spdlog::warn("part cache: a part was not cached: {}", why.ToString());
  };
  writer_ = std::make_unique<PartCacheWriter>(options_.queue_bytes, options_.max_bytes,
                                              std::move(callbacks));
}

PartCache::~PartCache() = default;

arrow::Result<std::shared_ptr<PartCache>> PartCache::Make(PartCacheOptions options) {
  if (options.directory.empty()) return arrow::Status::Invalid("no cache directory");
  if (options.max_bytes <= 0) {
    return arrow::Status::Invalid("the cache size must be positive");
  }
  arrow::fs::LocalFileSystem fs;
  ARROW_ASSIGN_OR_RAISE(options.directory, AbsoluteLocalPath(options.directory));
  std::shared_ptr<PartCache> cache(new PartCache(std::move(options)));
  ARROW_RETURN_NOT_OK(fs.CreateDir(cache->entries_dir_, /*recursive=*/true));
  arrow::fs::FileSelector selector;
  selector.base_dir = cache->entries_dir_;
  selector.recursive = true;
  ARROW_ASSIGN_OR_RAISE(auto found, fs.GetFileInfo(selector));
  // Oldest first, so that the most recently written end up most recently used.
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.mtime() < b.mtime(); });
  for (const auto& info : found) {
    if (!info.IsFile()) continue;
    const std::string& path = info.path();
    if (path.size() > kSuffix.size() &&
        path.compare(path.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
      std::string key =
          path.substr(cache->entries_dir_.size() + 1,
                      path.size() - cache->entries_dir_.size() - 1 - kSuffix.size());
      for (const auto& evicted : cache->index_->Insert(key, info.size())) {
        (void)fs.DeleteFile(cache->PathOf(evicted));
      }
    } else {
      // A fill a crash interrupted (".tmp"), or nothing of ours.
      (void)fs.DeleteFile(path);
    }
  }
  return cache;
}

std::string PartCache::PathOf(const std::string& key) const {
  return entries_dir_ + "/" + key + std::string(kSuffix);
}

std::shared_ptr<arrow::RecordBatchReader> PartCache::Open(const std::string& key,
                                                          const arrow::Schema& schema,
                                                          const std::vector<int>& fields,
                                                          int64_t num_rows) {
  if (!SafeKey(key) || !index_->Touch(key)) {
    ++counters_.misses;
    return nullptr;
  }
  arrow::FieldVector wanted;
  if (fields.empty()) {
    wanted = schema.fields();
  } else {
    for (int i : fields) wanted.push_back(schema.field(i));
  }
  auto expected = arrow::schema(std::move(wanted), schema.metadata());
  auto options = arrow::ipc::IpcReadOptions::Defaults();
  options.included_fields = fields;
  auto opened =
      [&]() -> arrow::Result<std::shared_ptr<arrow::ipc::RecordBatchStreamReader>> {
    // Batches point into the file's pages: no copy. Entries are only ever replaced by
    // rename or deleted, never truncated, as mapping them requires.
    ARROW_ASSIGN_OR_RAISE(auto file, OpenMappedInputStream(PathOf(key)));
    return arrow::ipc::RecordBatchStreamReader::Open(std::move(file), options);
  }();
  if (!opened.ok() || !(*opened)->schema()->Equals(*expected, /*check_metadata=*/false)) {
    Erase(key);
    ++counters_.misses;
    return nullptr;
  }
  ++counters_.hits;
  std::weak_ptr<PartCache> weak = weak_from_this();
  return std::make_shared<CachedPartReader>(std::move(*opened), std::move(expected),
                                            num_rows, [weak, key] {
                                              if (auto cache = weak.lock())
                                                cache->Erase(key);
                                            });
}

std::shared_ptr<arrow::RecordBatchReader> PartCache::Fill(
    const std::string& key, std::shared_ptr<arrow::RecordBatchReader> reader) {
  if (!SafeKey(key) || !index_->BeginFill(key)) return reader;
  uint64_t fill = writer_->Begin(key, PathOf(key));
  return std::make_shared<FillingReader>(shared_from_this(), fill, std::move(reader));
}

void PartCache::Erase(const std::string& key) {
  if (!SafeKey(key) || !index_->Remove(key)) return;
  arrow::fs::LocalFileSystem fs;
  (void)fs.DeleteFile(PathOf(key));
}

void PartCache::Write(uint64_t fill, std::shared_ptr<arrow::RecordBatch> batch) {
  writer_->Write(fill, std::move(batch));
}

void PartCache::End(uint64_t fill, bool complete) { writer_->End(fill, complete); }

int64_t PartCache::bytes() const { return index_->bytes(); }

int64_t PartCache::entries() const { return index_->entries(); }

}  // namespace quiver::store
