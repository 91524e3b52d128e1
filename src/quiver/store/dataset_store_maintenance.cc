// DatasetStore upkeep: retention (garbage collection), compaction, and the
// background thread that runs them off the request path.
#include <chrono>
#include <set>
#include <thread>

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/compaction_plan.h"
#include "quiver/store/dataset_store.h"
#include "quiver/store/durability.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void DatasetStore::DeleteThrottled(const std::string& path, GcReport* report,
                                   bool is_part, int64_t bytes) {
  auto st = options_.filesystem->DeleteFile(path);
  if (!st.ok()) {
    auto info = options_.filesystem->GetFileInfo(path);
    if (!(info.ok() && info->type() == arrow::fs::FileType::NotFound)) {
      spdlog::warn("gc: cannot delete {}: {}", path, st.ToString());
      ++report->errors;
    }
  } else if (is_part) {
    ++report->parts_deleted;
    report->bytes_deleted += bytes;
  }
  int64_t rate = options_.maintenance.gc_deletes_per_second;
  if (rate > 0) std::this_thread::sleep_for(std::chrono::microseconds(1000000 / rate));
}

void DatasetStore::Collect(const DatasetName& name, GcReport* report) {
  auto versions = log_.ListVersions(name);
  if (!versions.ok()) {
    ++report->errors;
    return;
  }
  std::vector<Manifest> manifests;
  for (int64_t version : *versions) {
    auto manifest = log_.Read(name, version);
    if (!manifest.ok()) {
      // An unreadable manifest stops GC of this dataset: never guess what it holds.
      spdlog::warn("gc: dataset '{}' version {} unreadable: {}", name.ToString(), version,
                   manifest.status().ToString());
      ++report->errors;
      return;
    }
    manifests.push_back(std::move(*manifest));
  }
  if (manifests.empty()) return;
  CollectOrphans(name, manifests, report);
  std::vector<VersionFacts> facts;
  for (const auto& m : manifests) {
    facts.push_back({m.version, m.committed_at_us, m.dropped(),
                     pins_->pinned(name.ToString(), m.version)});
  }
  auto decision = DecideRetention(facts, options_.retention, NowMicros());
  if (decision.remove_dataset)
    decision.delete_versions.push_back(manifests.back().version);
  if (decision.delete_versions.empty()) return;
  auto claimed = pins_->Reap(name.ToString(), decision.delete_versions);
  std::set<int64_t> gone(claimed.begin(), claimed.end());
  if (decision.remove_dataset && !gone.count(manifests.back().version)) {
    decision.remove_dataset = false;
  }
  std::set<std::string> kept_parts;
  std::map<std::string, int64_t> gone_parts;
  for (const auto& m : manifests) {
    for (const auto& part : m.parts) {
      if (gone.count(m.version))
        gone_parts[part.file] = part.bytes;
      else
        kept_parts.insert(part.file);
    }
  }
  // Versions committed since the listing may reference the parts of a version claimed
  // just now: a restore of it that released its pin before the claim. Listed again
  // after the claim (a later restore of a claimed version fails to pin it), their
  // parts are kept; if they cannot be read, no part is deleted this time.
  bool parts_known = true;
  auto now_listed = log_.ListVersions(name);
  if (!now_listed.ok()) parts_known = false;
  for (int64_t version : now_listed.ok() ? *now_listed : std::vector<int64_t>{}) {
    if (version <= manifests.back().version) continue;
    auto newer = log_.Read(name, version);
    if (!newer.ok()) {
      parts_known = false;
      break;
    }
    for (const auto& part : newer->parts) kept_parts.insert(part.file);
  }
  if (!parts_known) gone_parts.clear();
  // Manifests first (oldest first), so that no manifest ever names a missing part.
  for (const auto& m : manifests) {
    if (!gone.count(m.version)) continue;
    if (decision.remove_dataset && m.version == manifests.back().version) continue;
    DeleteThrottled(layout_.ManifestPath(name, m.version), report, false, 0);
    ++report->versions_deleted;
  }
  for (const auto& [file, bytes] : gone_parts) {
    if (kept_parts.count(file)) continue;
    DeleteThrottled(layout_.PartPath(name, file), report, true, bytes);
  }
  if (!decision.remove_dataset) return;
  // The whole dataset: its drop goes last, then its directories, unless an upload
  // into the same name started on this node meanwhile.
  std::lock_guard lock(DatasetMutex(name));
  {
    std::lock_guard uploads(uploads_mutex_);
    std::string prefix = layout_.PartsDir(name) + "/";
    auto it = uploads_.lower_bound(prefix);
    if (it != uploads_.end() && it->starts_with(prefix)) return;
  }
  auto head = catalog_.FindHead(name);
  if (head && head->version != manifests.back().version) return;  // a new commit
  DeleteThrottled(layout_.ManifestPath(name, manifests.back().version), report, false, 0);
  ++report->versions_deleted;
  catalog_.Erase(name);
  pins_->ForgetReaped(name.ToString());
  auto& fs = *options_.filesystem;
  (void)RemoveEmptyDirectory(fs, layout_.ManifestDir(name));
  (void)RemoveEmptyDirectory(fs, layout_.PartsDir(name));
  (void)RemoveEmptyDirectory(fs, layout_.DatasetDir(name));
  std::vector<std::string> segments = name.segments();
  for (segments.pop_back(); !segments.empty(); segments.pop_back()) {
    auto parent = DatasetName::Make(segments);
    if (!parent.ok() || !RemoveEmptyDirectory(fs, layout_.DatasetDir(*parent)).ok())
      break;
  }
  ++report->datasets_removed;
}

GcReport DatasetStore::CollectGarbage() {
  GcReport report;
  for (const auto& name : catalog_.Names()) {
    if (stopping_) break;
    Collect(name, &report);
  }
  counters_.gc_runs.fetch_add(1);
  counters_.versions_deleted.fetch_add(report.versions_deleted);
  counters_.parts_deleted.fetch_add(report.parts_deleted);
  counters_.bytes_deleted.fetch_add(report.bytes_deleted);
  counters_.gc_errors.fetch_add(report.errors);
  if (report.versions_deleted > 0 || report.errors > 0) {
    spdlog::info(
        "gc: deleted {} versions, {} parts ({} bytes), removed {} datasets; {} "
        "errors",
        report.versions_deleted, report.parts_deleted, report.bytes_deleted,
        report.datasets_removed, report.errors);
  }
  return report;
}

arrow::Result<DatasetInfo> DatasetStore::Compact(const DatasetName& name) {
  ARROW_ASSIGN_OR_RAISE(auto base, Get(name));
  ARROW_ASSIGN_OR_RAISE(auto pin, pins_->Acquire(name.ToString(), base.version));
  const auto& parts = base.manifest->parts;
  auto runs = PlanCompaction(parts, options_.maintenance.small_part_bytes,
                             options_.maintenance.compact_target_bytes);
  if (runs.empty()) return base;
  auto span = telemetry::StartSpan("compact");
  span.SetAttribute("quiver.dataset", name.ToString());
  span.SetAttribute("quiver.parts", static_cast<int64_t>(parts.size()));
  std::vector<PartInfo> compacted;
  std::vector<std::string> written;  // paths, deleted if the commit does not happen
  auto cleanup = [&] {
    for (const auto& path : written) DeletePart(name, path);
    for (const auto& path : written) EndUpload(name, path);
  };
  for (const auto& run : runs) {
    std::vector<PartInfo> inputs(parts.begin() + run.begin, parts.begin() + run.end);
    auto reader = OpenParts(name, base.manifest, inputs, nullptr,
                            /*fill_cache=*/false);
    auto writer = reader.ok()
                      ? NewPart(name, base.schema)
                      : arrow::Result<std::unique_ptr<PartWriter>>(reader.status());
    if (!writer.ok()) {
      cleanup();
      span.RecordError(writer.status());
      return writer.status();
    }
    written.push_back((*writer)->path());
    arrow::Status st;
    while (st.ok()) {
      if (stopping_) {
        st = arrow::Status::Cancelled("quiverd is stopping");
        break;
      }
      std::shared_ptr<arrow::RecordBatch> batch;
      st = (*reader)->ReadNext(&batch);
      if (!st.ok() || batch == nullptr) break;
      st = (*writer)->Write(batch);
    }
    auto part = st.ok() ? (*writer)->Finish() : arrow::Result<PartInfo>(st);
    if (!part.ok()) {
      cleanup();
      span.RecordError(part.status());
      return part.status();
    }
    compacted.push_back(std::move(*part));
  }
  std::vector<PartInfo> rewritten;
  size_t next_run = 0;
  for (size_t i = 0; i < parts.size();) {
    if (next_run < runs.size() && runs[next_run].begin == i) {
      rewritten.push_back(compacted[next_run]);
      i = runs[next_run++].end;
    } else {
      rewritten.push_back(parts[i++]);
    }
  }
  auto st = SyncDirectory(*options_.filesystem, layout_.PartsDir(name));
  if (!st.ok()) {
    cleanup();
    return StorageError(st, "compaction", name);
  }
  auto info = CommitNext(name, [&](const Manifest* head) -> arrow::Result<Manifest> {
    if (head == nullptr || head->dropped()) return DatasetNotFound(name);
    Manifest next;
    next.operation = VersionOperation::kCompact;
    next.schema = head->schema;
    next.parts = rewritten;
    // Appends committed since the compaction began are kept after its parts.
    const auto& now = head->parts;
    bool extends = now.size() >= parts.size() &&
                   std::equal(parts.begin(), parts.end(), now.begin(),
                              [](const auto& a, const auto& b) { return a.SameFile(b); });
    if (!extends) {
      return arrow::Status::Cancelled("dataset '", name.ToString(),
                                      "' was replaced during its compaction");
    }
    next.parts.insert(next.parts.end(), now.begin() + parts.size(), now.end());
    return next;
  });
  for (const auto& path : written) EndUpload(name, path);
  if (!info.ok()) {
    for (const auto& path : written) DeletePart(name, path);
    counters_.compaction_errors.fetch_add(info.status().IsCancelled() ? 0 : 1);
    span.RecordError(info.status());
    return info.status();
  }
  counters_.compactions.fetch_add(1);
  spdlog::info("compaction: dataset '{}' version {}: {} parts -> {}", name.ToString(),
               info->version, parts.size(), info->manifest->parts.size());
  return info;
}

void DatasetStore::EnqueueCompaction(const DatasetName& name) {
  if (!options_.maintenance.background) return;
  {
    std::lock_guard lock(maintenance_mutex_);
    for (const auto& queued : compaction_queue_) {
      if (queued == name) return;
    }
    compaction_queue_.push_back(name);
  }
  maintenance_cv_.notify_all();
}

void DatasetStore::MaintenanceLoop() {
  // Process signals are the application's business (graceful shutdown): never let
  // them be delivered to this thread, whenever the store was made.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  auto next_gc = std::chrono::steady_clock::now() + options_.maintenance.gc_interval;
  std::unique_lock lock(maintenance_mutex_);
  while (!stopping_) {
    maintenance_cv_.wait_until(lock, next_gc,
                               [&] { return stopping_ || !compaction_queue_.empty(); });
    if (stopping_) break;
    // GC first when it is due: a steady stream of appends keeps the compaction queue
    // busy, and must not starve retention.
    if (std::chrono::steady_clock::now() >= next_gc) {
      lock.unlock();
      CollectGarbage();
      lock.lock();
      next_gc = std::chrono::steady_clock::now() + options_.maintenance.gc_interval;
      continue;
    }
    if (!compaction_queue_.empty()) {
      DatasetName name = compaction_queue_.front();
      compaction_queue_.pop_front();
      lock.unlock();
      auto st = Compact(name).status();
      if (!st.ok() && !st.IsKeyError() && !st.IsCancelled()) {
        spdlog::warn("compaction of '{}' failed: {}", name.ToString(), st.ToString());
      }
      lock.lock();
    }
  }
}

}  // namespace quiver::store
