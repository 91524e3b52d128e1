// DatasetStore: selective reads (columns, filter, limit, row-group ranges).

#include <algorithm>
#include <atomic>

#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/limited_reader.h"
#include "quiver/store/multi_part_reader.h"
#include "quiver/store/parquet_format.h"
#include "quiver/store/part_cache.h"
#include "quiver/store/projected_reader.h"
#include "quiver/store/selected_part_reader.h"
#include "quiver/store/storage_error_reader.h"
#include "quiver/store/store_errors.h"
#include "quiver/store/traced_reader.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {
namespace {

/// The row groups [begin, end) of one part.
struct PartSlice {
  size_t part = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

std::vector<PartSlice> SliceParts(const Manifest& manifest, RowGroupRange range) {
  std::vector<PartSlice> slices;
  int64_t first = 0;  // ordinal of the part's first row group in the version
  for (size_t i = 0; i < manifest.parts.size(); ++i) {
    int64_t count = manifest.parts[i].row_groups;
    int64_t begin = std::max(range.begin, first),
            end = std::min(range.end, first + count);
    if (begin < end) slices.push_back({i, begin - first, end - first});
    first += count;
  }
  return slices;
}

/// Row groups read and skipped by one read (for its span).
struct ReadTally {
  std::atomic<int64_t> read{0};
  std::atomic<int64_t> skipped{0};
};

}  // namespace

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStore::OpenReader(
    const DatasetInfo& info, const ReadSpec& spec) const {
  if (!spec.selective()) return OpenReader(info);
  if (!info.manifest || info.dropped()) return DatasetNotFound(info.name);
  ARROW_ASSIGN_OR_RAISE(auto plan, PlanRead(*info.manifest, spec));
  ARROW_ASSIGN_OR_RAISE(auto pin, pins_->Acquire(info.name.ToString(), info.version));
  auto span = telemetry::StartSpan("parquet.read");
  span.SetAttribute("quiver.dataset", info.name.ToString());
  span.SetAttribute("quiver.version", info.version);
  span.SetAttribute("quiver.parts", static_cast<int64_t>(info.manifest->parts.size()));
  span.SetAttribute("quiver.columns", static_cast<int64_t>(plan.schema->num_fields()));
  span.SetAttribute("quiver.filtered", plan.filter.has_value());

  auto slices = SliceParts(*info.manifest, plan.row_groups);
  auto tally = std::make_shared<ReadTally>();
  auto shared_plan = std::make_shared<const ReadPlan>(std::move(plan));
  // As in OpenParts, the opener owns what it needs, not the store.
  auto open =
      [fs = options_.filesystem, layout = layout_, read = options_.read, name = info.name,
       manifest = info.manifest, slices, shared_plan, tally, counters = read_counters_,
       cache = part_cache_](
          size_t index) -> arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> {
    const PartSlice& slice = slices[index];
    const PartInfo& info = manifest->parts[slice.part];
    // A whole part without a filter: the cache has every row and column it needs.
    if (cache && !shared_plan->filter && slice.begin == 0 &&
        slice.end == info.row_groups) {
      if (auto cached =
              cache->Open(PartCacheKey(name.ToString(), info.file), *manifest->schema,
                          shared_plan->read_fields, info.num_rows)) {
        ARROW_ASSIGN_OR_RAISE(auto ahead, WithReadahead(std::move(cached), read));
        return MakeStorageErrorReader(
            MakeProjectedReader(std::move(ahead), shared_plan->output_positions,
                                shared_plan->schema),
            name);
      }
    }
    auto file = fs->OpenInputFile(layout.PartPath(name, info.file));
    if (!file.ok()) return StorageError(file.status(), "read", name);
    auto part =
        OpenSelectedPart(std::move(*file), *shared_plan, slice.begin, slice.end, read);
    if (!part.ok()) return StorageError(part.status(), "read", name);
    tally->read += part->row_groups_read;
    tally->skipped += part->row_groups_skipped;
    counters->row_groups_read += part->row_groups_read;
    counters->row_groups_skipped += part->row_groups_skipped;
    // Errors while it streams (a failed page read) are storage failures too.
    return MakeStorageErrorReader(std::move(part->reader), name);
  };
  std::shared_ptr<arrow::RecordBatchReader> reader = MakeMultiPartReader(
      shared_plan->schema, slices.size(), std::move(open), std::move(pin));
  if (shared_plan->limit)
    reader = MakeLimitedReader(std::move(reader), *shared_plan->limit);
  return MakeTracedReader(
      std::move(reader), std::move(span), [tally](telemetry::Span& s) {
        s.SetAttribute("quiver.row_groups_read", tally->read.load());
        s.SetAttribute("quiver.row_groups_skipped", tally->skipped.load());
      });
}

}  // namespace quiver::store
