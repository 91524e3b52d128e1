#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "quiver/common/scope_guard.h"
#include "quiver/store/compactor_internal.h"
#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/fs/durability.h"
#include "quiver/store/model/compaction_plan.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {

Compactor::Compactor(DatasetStoreImpl& store) : store_(store) {}

Compactor::~Compactor() { loop_.reset(); }

void Compactor::StartLoop() {
  loop_ = std::make_unique<BackgroundLoop>(std::nullopt, [this] { DrainQueue(); });
}

void Compactor::Enqueue(const DatasetName& name) {
  if (!loop_) return;
  {
    std::lock_guard lock(mutex_);
    if (std::find(queue_.begin(), queue_.end(), name) != queue_.end()) return;
    queue_.push_back(name);
  }
  loop_->Wake();
}

void Compactor::DrainQueue() {
  while (!store_.stopping()) {
    std::optional<DatasetName> next;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return;
      next = queue_.front();
      queue_.pop_front();
    }
    const DatasetName& name = *next;
    auto st = Compact(name).status();
    if (!st.ok() && !st.IsKeyError() && !st.IsCancelled()) {
      spdlog::warn("compaction of '{}' failed: {}", name.ToString(), st.ToString());
    }
  }
}

arrow::Result<PartInfo> Compactor::RewriteRun(const DatasetInfo& base, size_t begin,
                                              size_t end,
                                              std::vector<std::string>* written) {
  const auto& parts = base.manifest->parts;
  std::vector<PartInfo> inputs(parts.begin() + begin, parts.begin() + end);
  ARROW_ASSIGN_OR_RAISE(auto reader, store_.OpenParts(base.name, base.manifest, inputs,
                                                      nullptr, /*fill_cache=*/false));
  ARROW_ASSIGN_OR_RAISE(auto writer, store_.NewPart(base.name, base.schema));
  written->push_back(writer->path());
  while (true) {
    if (store_.stopping()) return arrow::Status::Cancelled("quiverd is stopping");
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(writer->Write(batch));
  }
  return writer->Finish();
}

arrow::Result<DatasetInfo> Compactor::Compact(const DatasetName& name) {
  ARROW_ASSIGN_OR_RAISE(auto base, store_.Get(name));
  ARROW_ASSIGN_OR_RAISE(auto pin, store_.pins().Acquire(name.ToString(), base.version));
  const auto& parts = base.manifest->parts;
  const auto& maintenance = store_.options().maintenance;
  auto runs = PlanCompaction(parts, maintenance.small_part_bytes,
                             maintenance.compact_target_bytes);
  if (runs.empty()) return base;
  auto span = telemetry::StartSpan("compact");
  span.SetAttribute("quiver.dataset", name.ToString());
  span.SetAttribute("quiver.parts", static_cast<int64_t>(parts.size()));

  std::vector<std::string> written;  // parts written; deleted unless committed
  bool committed = false;
  ScopeGuard cleanup([&] {
    if (!committed) {
      for (const auto& path : written) store_.DeletePart(name, path);
    }
    for (const auto& path : written) store_.EndUpload(path);
  });
  auto fail = [&](arrow::Status st) {
    span.RecordError(st);
    return st;
  };

  std::vector<PartInfo> compacted;
  for (const auto& run : runs) {
    auto part = RewriteRun(base, run.begin, run.end, &written);
    if (!part.ok()) return fail(part.status());
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
  auto st = SyncDirectory(store_.filesystem(), store_.layout().PartsDir(name));
  if (!st.ok()) return fail(StorageError(st, "compaction", name));
  auto info =
      store_.CommitNext(name, [&](const Manifest* head) -> arrow::Result<Manifest> {
        if (head == nullptr || head->dropped()) return DatasetNotFound(name);
        // Appends committed since the compaction began are kept after its parts.
        const auto& now = head->parts;
        bool extends =
            now.size() >= parts.size() &&
            std::equal(parts.begin(), parts.end(), now.begin(),
                       [](const auto& a, const auto& b) { return a.SameFile(b); });
        if (!extends) {
          return arrow::Status::Cancelled("dataset '", name.ToString(),
                                          "' was replaced during its compaction");
        }
        Manifest next;
        next.operation = VersionOperation::kCompact;
        next.schema = head->schema;
        next.parts = rewritten;
        next.parts.insert(next.parts.end(), now.begin() + parts.size(), now.end());
        return next;
      });
  auto& counters = store_.mutable_counters();
  if (!info.ok()) {
    counters.compaction_errors.fetch_add(info.status().IsCancelled() ? 0 : 1);
    return fail(info.status());
  }
  committed = true;
  counters.compactions.fetch_add(1);
  spdlog::info("compaction: dataset '{}' version {}: {} parts -> {}", name.ToString(),
               info->version, parts.size(), info->manifest->parts.size());
  return info;
}

}  // namespace quiver::store
