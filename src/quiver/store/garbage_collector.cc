#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include <arrow/filesystem/filesystem.h>

#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/fs/durability.h"
#include "quiver/store/garbage_collector_internal.h"
#include "quiver/store/model/retention.h"

namespace quiver::store {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

GarbageCollector::GarbageCollector(DatasetStoreImpl& store) : store_(store) {}

GarbageCollector::~GarbageCollector() { loop_.reset(); }

void GarbageCollector::StartLoop() {
  loop_ = std::make_unique<BackgroundLoop>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          store_.options().maintenance.gc_interval),
      [this] { CollectAll(); });
}

void GarbageCollector::Settle(const arrow::Status& deleted, const std::string& what,
                              GcReport* report) {
  if (!deleted.ok()) {
    auto info = store_.filesystem().GetFileInfo(what);
    if (!(info.ok() && info->type() == arrow::fs::FileType::NotFound)) {
      spdlog::warn("gc: cannot delete {}: {}", what, deleted.ToString());
      ++report->errors;
    }
  }
  int64_t rate = store_.options().maintenance.gc_deletes_per_second;
  if (rate > 0) std::this_thread::sleep_for(std::chrono::microseconds(1000000 / rate));
}

void GarbageCollector::DeleteManifest(const DatasetName& name, int64_t version,
                                      GcReport* report) {
  auto st = store_.log().Delete(name, version);
  Settle(st, store_.layout().ManifestPath(name, version), report);
  ++report->versions_deleted;
}

void GarbageCollector::DeletePart(const std::string& path, int64_t bytes,
                                  GcReport* report) {
  auto st = store_.filesystem().DeleteFile(path);
  if (st.ok()) {
    ++report->parts_deleted;
    report->bytes_deleted += bytes;
  }
  Settle(st, path, report);
}

void GarbageCollector::Collect(const DatasetName& name, GcReport* report) {
  const VersionLog& log = store_.log();
  const Layout& layout = store_.layout();
  VersionPins& pins = store_.pins();
  auto versions = log.ListVersions(name);
  if (!versions.ok()) {
    ++report->errors;
    return;
  }
  std::vector<Manifest> manifests;
  for (int64_t version : *versions) {
    auto manifest = log.Read(name, version);
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
                     pins.pinned(name.ToString(), m.version)});
  }
  auto decision = DecideRetention(facts, store_.options().retention, NowMicros());
  const int64_t last = manifests.back().version;
  if (decision.remove_dataset) decision.delete_versions.push_back(last);
  if (decision.delete_versions.empty()) return;
  auto claimed = pins.Reap(name.ToString(), decision.delete_versions);
  std::set<int64_t> gone(claimed.begin(), claimed.end());
  if (decision.remove_dataset && !gone.count(last)) decision.remove_dataset = false;
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
  auto now_listed = log.ListVersions(name);
  if (!now_listed.ok()) parts_known = false;
  for (int64_t version : now_listed.ok() ? *now_listed : std::vector<int64_t>{}) {
    if (version <= last) continue;
    auto newer = log.Read(name, version);
    if (!newer.ok()) {
      parts_known = false;
      break;
    }
    for (const auto& part : newer->parts) kept_parts.insert(part.file);
  }
  if (!parts_known) gone_parts.clear();
  for (const auto& m : manifests) {
    if (!gone.count(m.version)) continue;
    if (decision.remove_dataset && m.version == last) continue;
    DeleteManifest(name, m.version, report);
  }
  for (const auto& [file, bytes] : gone_parts) {
    if (kept_parts.count(file)) continue;
    DeletePart(layout.PartPath(name, file), bytes, report);
  }
  if (!decision.remove_dataset) return;
  // The whole dataset: its drop goes last, then its directories, unless an upload
  // into the same name started on this node meanwhile.
  std::lock_guard lock(store_.uploads().DatasetMutex(name));
  if (store_.uploads().AnyUnder(layout.PartsDir(name))) return;
  auto head = store_.catalog().FindHead(name);
  if (head && head->version != last) return;  // a new commit
  DeleteManifest(name, last, report);
  store_.catalog().Erase(name);
  pins.ForgetReaped(name.ToString());
  RemoveDirectories(name);
  ++report->datasets_removed;
}

void GarbageCollector::RemoveDirectories(const DatasetName& name) {
  auto& fs = store_.filesystem();
  const Layout& layout = store_.layout();
  (void)RemoveEmptyDirectory(fs, layout.ManifestDir(name));
  (void)RemoveEmptyDirectory(fs, layout.PartsDir(name));
  (void)RemoveEmptyDirectory(fs, layout.DatasetDir(name));
  std::vector<std::string> segments = name.segments();
  for (segments.pop_back(); !segments.empty(); segments.pop_back()) {
    auto parent = DatasetName::Make(segments);
    if (!parent.ok() || !RemoveEmptyDirectory(fs, layout.DatasetDir(*parent)).ok()) break;
  }
}

void GarbageCollector::CollectOrphans(const DatasetName& name,
                                      const std::vector<Manifest>& manifests,
                                      GcReport* report) {
  if (!store_.options().shared) return;
  arrow::fs::FileSelector selector;
  selector.base_dir = store_.layout().PartsDir(name);
  selector.allow_not_found = true;
  auto entries = store_.filesystem().GetFileInfo(selector);
  if (!entries.ok()) {
    ++report->errors;
    return;
  }
  std::set<std::string> referenced;
  for (const auto& manifest : manifests) {
    for (const auto& part : manifest.parts) referenced.insert(part.file);
  }
  const auto now = std::chrono::system_clock::now();
  for (const auto& entry : *entries) {
    if (!entry.IsFile() || referenced.count(entry.base_name())) continue;
    auto age = now - entry.mtime();
    if (age < store_.options().maintenance.orphan_min_age) continue;
    if (store_.uploads().Contains(entry.path())) continue;
    spdlog::info("gc: deleting a part of '{}' that no version references",
                 name.ToString());
    DeletePart(entry.path(), entry.size(), report);
  }
}

GcReport GarbageCollector::CollectAll() {
  GcReport report;
  for (const auto& name : store_.catalog().Names()) {
    if (store_.stopping()) break;
    Collect(name, &report);
  }
  auto& counters = store_.mutable_counters();
  counters.gc_runs.fetch_add(1);
  counters.versions_deleted.fetch_add(report.versions_deleted);
  counters.parts_deleted.fetch_add(report.parts_deleted);
  counters.bytes_deleted.fetch_add(report.bytes_deleted);
  counters.gc_errors.fetch_add(report.errors);
  if (report.versions_deleted > 0 || report.errors > 0) {
    spdlog::info(
        "gc: deleted {} versions, {} parts ({} bytes), removed {} datasets; {} "
        "errors",
        report.versions_deleted, report.parts_deleted, report.bytes_deleted,
        report.datasets_removed, report.errors);
  }
  return report;
}

}  // namespace quiver::store
