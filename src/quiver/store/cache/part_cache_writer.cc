#include <arrow/io/interfaces.h>
#include <arrow/ipc/writer.h>
#include <arrow/util/byte_size.h>

#include "quiver/common/path_name.h"
#include "quiver/store/cache/part_cache_writer_internal.h"
#include "quiver/store/fs/durability.h"

namespace quiver::store {

struct PartCacheWriter::Fill {
  std::string key;
  std::string path;
  std::shared_ptr<arrow::io::OutputStream> sink;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer;
  int64_t bytes = 0;
  arrow::Status failed;  // the first error: later batches are ignored
};

PartCacheWriter::PartCacheWriter(int64_t queue_bytes, int64_t max_entry_bytes,
                                 Callbacks callbacks)
    : queue_bytes_(queue_bytes),
      max_entry_bytes_(max_entry_bytes),
      callbacks_(std::move(callbacks)),
      thread_([this] { Run(); }) {}

PartCacheWriter::~PartCacheWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  for (auto& [id, fill] : fills_) Discard(fill.get());
}

uint64_t PartCacheWriter::Begin(std::string key, std::string path) {
  auto fill = std::make_unique<Fill>();
  fill->key = std::move(key);
  fill->path = std::move(path);
  std::lock_guard lock(mutex_);
  uint64_t id = next_fill_++;
  fills_.emplace(id, std::move(fill));
  return id;
}

void PartCacheWriter::Write(uint64_t fill, std::shared_ptr<arrow::RecordBatch> batch) {
  int64_t bytes = static_cast<int64_t>(arrow::util::TotalBufferSize(*batch));
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return stopping_ || queue_.empty() || queued_bytes_ + bytes <= queue_bytes_;
  });
  if (stopping_) return;
  queued_bytes_ += bytes;
  queue_.push_back(Job{fill, std::move(batch), false, bytes});
  changed_.notify_all();
}

void PartCacheWriter::End(uint64_t fill, bool complete) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  queue_.push_back(Job{fill, nullptr, complete, 0});
  changed_.notify_all();
}

void PartCacheWriter::Run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= job.bytes;
    }
    changed_.notify_all();
    Apply(std::move(job));
  }
}

void PartCacheWriter::Apply(Job job) {
  Fill* fill;
  {
    std::lock_guard lock(mutex_);
    auto it = fills_.find(job.fill);
    if (it == fills_.end()) return;
    fill = it->second.get();
  }
  if (job.batch != nullptr) {
    if (fill->failed.ok()) fill->failed = Append(fill, *job.batch);
    return;
  }
  arrow::Status why = fill->failed;
  if (job.complete && why.ok() && fill->sink != nullptr) why = Commit(fill);
  if (job.complete && why.ok() && fill->sink != nullptr) {
    callbacks_.committed(fill->key, fill->bytes);
  } else {
    // Stopped early, or a part without batches (nothing to cache): no error.
    Discard(fill);
    callbacks_.dropped(fill->key, job.complete ? why : arrow::Status::OK());
  }
  std::lock_guard lock(mutex_);
  fills_.erase(job.fill);
}

arrow::Status PartCacheWriter::Append(Fill* fill, const arrow::RecordBatch& batch) {
  if (fill->writer == nullptr) {
    const std::string dir(DirName(fill->path));
    ARROW_RETURN_NOT_OK(fs_.CreateDir(dir, /*recursive=*/true));
    ARROW_ASSIGN_OR_RAISE(fill->sink, fs_.OpenOutputStream(fill->path + ".tmp"));
    ARROW_ASSIGN_OR_RAISE(fill->writer,
                          arrow::ipc::MakeStreamWriter(fill->sink, batch.schema()));
  }
  ARROW_RETURN_NOT_OK(fill->writer->WriteRecordBatch(batch));
  ARROW_ASSIGN_OR_RAISE(fill->bytes, fill->sink->Tell());
  if (fill->bytes > max_entry_bytes_) {
    return arrow::Status::CapacityError("the part is larger than the whole cache");
  }
  return arrow::Status::OK();
}

arrow::Status PartCacheWriter::Commit(Fill* fill) {
  ARROW_RETURN_NOT_OK(fill->writer->Close());
  fill->writer.reset();
  ARROW_ASSIGN_OR_RAISE(fill->bytes, fill->sink->Tell());
  ARROW_RETURN_NOT_OK(fill->sink->Close());
  // Durable before it is visible: an entry found after a crash is whole.
  ARROW_RETURN_NOT_OK(SyncFile(fs_, fill->path + ".tmp"));
  return fs_.Move(fill->path + ".tmp", fill->path);
}

void PartCacheWriter::Discard(Fill* fill) {
  if (fill->writer != nullptr) (void)fill->writer->Close();
  if (fill->sink != nullptr) (void)fill->sink->Close();
  fill->writer.reset();
  fill->sink.reset();
  (void)fs_.DeleteFile(fill->path + ".tmp");
}

}  // namespace quiver::store
