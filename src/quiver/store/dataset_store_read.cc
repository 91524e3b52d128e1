// DatasetStoreImpl: the read path. Every read — a whole version, a selective read
// (columns, filter, limit, row-group ranges), a compaction's input — is a ReadPlan over
// slices of parts, opened part after part by one opener: the part cache first, else
// the Parquet part (whole, or only the planned columns, row groups and rows), errors
// while it streams turned into storage failures.

#include <algorithm>
#include <atomic>

#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/cache/footer_cache.h"
#include "quiver/store/cache/part_cache.h"
#include "quiver/store/dataset_store_impl_internal.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/limited_reader.h"
#include "quiver/store/parquet/multi_part_reader.h"
#include "quiver/store/parquet/parquet_format.h"
#include "quiver/store/parquet/projected_reader.h"
#include "quiver/store/parquet/selected_part_reader.h"
#include "quiver/store/parquet/storage_error_reader.h"
#include "quiver/store/parquet/traced_reader.h"
#include "quiver/telemetry/active_span.h"

namespace quiver::store {

/// The row groups [begin, end) of one part.
struct DatasetStoreImpl::PartSlice {
  size_t part = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

/// Row groups read and skipped by one read (for its span).
struct DatasetStoreImpl::ReadTally {
  std::atomic<int64_t> read{0};
  std::atomic<int64_t> skipped{0};
};

namespace {

using PartSlice = DatasetStoreImpl::PartSlice;

std::vector<PartSlice> SliceParts(const std::vector<PartInfo>& parts,
                                  RowGroupRange range) {
  std::vector<PartSlice> slices;
  int64_t first = 0;  // ordinal of the part's first row group in the version
  for (size_t i = 0; i < parts.size(); ++i) {
    int64_t count = parts[i].row_groups;
    int64_t begin = std::max(range.begin, first),
            end = std::min(range.end, first + count);
    if (begin < end) slices.push_back({i, begin - first, end - first});
    first += count;
  }
  return slices;
}

/// Whether `plan` returns every column of `schema` in order, unfiltered.
bool ReadsEveryColumn(const ReadPlan& plan, const arrow::Schema& schema) {
  if (plan.filter ||
      plan.read_fields.size() != static_cast<size_t>(schema.num_fields())) {
    return false;
  }
  for (size_t i = 0; i < plan.output_positions.size(); ++i) {
    if (plan.output_positions[i] != static_cast<int>(i)) return false;
  }
  return plan.output_positions.size() == plan.read_fields.size();
}

telemetry::Span StartReadSpan(const DatasetInfo& info) {
  auto span = telemetry::StartSpan("parquet.read");
  span.SetAttribute("quiver.dataset", info.name.ToString());
  span.SetAttribute("quiver.version", info.version);
  span.SetAttribute("quiver.parts", static_cast<int64_t>(info.manifest->parts.size()));
  return span;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStoreImpl::OpenSlices(
    const DatasetName& name, std::shared_ptr<const Manifest> manifest,
    std::vector<PartInfo> parts, std::vector<PartSlice> slices,
    std::shared_ptr<const ReadPlan> plan, std::shared_ptr<void> keep_alive,
    bool fill_cache, std::shared_ptr<ReadTally> tally) const {
  const bool every_column = ReadsEveryColumn(*plan, *manifest->schema);
  // The opener owns what it needs, not the store: a reader may outlive the store (and
  // must never be the store's last owner, whose destruction joins the background
  // threads that may be running this very reader).
  auto open =
      [fs = options_.filesystem, layout = layout_, read = options_.read, name, manifest,
       parts = std::move(parts), slices, plan, every_column, fill_cache, tally,
       counters = read_counters_, cache = part_cache_, footers = footer_cache_](
          size_t index) -> arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> {
    const PartSlice& slice = slices[index];
    const PartInfo& part = parts[slice.part];
    const std::string key = PartCacheKey(name.ToString(), part.file);
    const bool whole_part = slice.begin == 0 && slice.end == part.row_groups;
    // A whole part without a filter: the cache has every row and column it needs.
    if (cache && !plan->filter && whole_part) {
      const std::vector<int> no_projection;
      if (auto cached = cache->Open(key, *manifest->schema,
                                    every_column ? no_projection : plan->read_fields,
                                    part.num_rows)) {
        ARROW_ASSIGN_OR_RAISE(auto ahead, WithReadahead(std::move(cached), read));
        if (!every_column) {
          ahead =
              MakeProjectedReader(std::move(ahead), plan->output_positions, plan->schema);
        }
        return MakeStorageErrorReader(std::move(ahead), name);
      }
    }
    auto file = fs->OpenInputFile(layout.PartPath(name, part.file));
    if (!file.ok()) return StorageError(file.status(), "read", name);
    const FooterSlot footer{footers.get(), key};
    std::shared_ptr<arrow::RecordBatchReader> reader;
    if (every_column && whole_part) {
      // The whole part: streamed as stored (and, if asked, copied into the cache).
      auto whole = OpenParquetReader(std::move(*file), read, footer);
      if (!whole.ok()) return StorageError(whole.status(), "read", name);
      reader = std::move(*whole);
      if (cache && fill_cache) reader = cache->Fill(key, std::move(reader));
      tally->read += part.row_groups;
      counters->row_groups_read += part.row_groups;
    } else {
      auto selected =
          OpenSelectedPart(std::move(*file), *plan, slice.begin, slice.end, read, footer);
      if (!selected.ok()) return StorageError(selected.status(), "read", name);
      reader = std::move(selected->reader);
      tally->read += selected->row_groups_read;
      tally->skipped += selected->row_groups_skipped;
      counters->row_groups_read += selected->row_groups_read;
      counters->row_groups_skipped += selected->row_groups_skipped;
    }
    // Errors while it streams (a failed page read) are storage failures too.
    return MakeStorageErrorReader(std::move(reader), name);
  };
  std::shared_ptr<arrow::RecordBatchReader> reader = MakeMultiPartReader(
      plan->schema, slices.size(), std::move(open), std::move(keep_alive));
  if (plan->limit) reader = MakeLimitedReader(std::move(reader), *plan->limit);
  return reader;
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStoreImpl::OpenParts(
    const DatasetName& name, std::shared_ptr<const Manifest> manifest,
    const std::vector<PartInfo>& parts, std::shared_ptr<void> keep_alive,
    bool fill_cache) const {
  ARROW_ASSIGN_OR_RAISE(auto plan, PlanRead(*manifest, ReadSpec{}));
  std::vector<PartSlice> slices;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].row_groups > 0) slices.push_back({i, 0, parts[i].row_groups});
  }
  return OpenSlices(name, std::move(manifest), parts, std::move(slices),
                    std::make_shared<const ReadPlan>(std::move(plan)),
                    std::move(keep_alive), fill_cache, std::make_shared<ReadTally>());
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStoreImpl::OpenReader(
    const DatasetInfo& info) const {
  return OpenReader(info, ReadSpec{});
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> DatasetStoreImpl::OpenReader(
    const DatasetInfo& info, const ReadSpec& spec) const {
  if (!info.manifest || info.dropped()) return DatasetNotFound(info.name);
  ARROW_ASSIGN_OR_RAISE(auto plan, PlanRead(*info.manifest, spec));
  ARROW_ASSIGN_OR_RAISE(auto pin, pins_->Acquire(info.name.ToString(), info.version));
  auto span = StartReadSpan(info);
  if (spec.selective()) {
    span.SetAttribute("quiver.columns", static_cast<int64_t>(plan.schema->num_fields()));
    span.SetAttribute("quiver.filtered", plan.filter.has_value());
  }
  auto slices = SliceParts(info.manifest->parts, plan.row_groups);
  auto tally = std::make_shared<ReadTally>();
  auto reader =
      OpenSlices(info.name, info.manifest, info.manifest->parts, std::move(slices),
                 std::make_shared<const ReadPlan>(std::move(plan)), std::move(pin),
                 /*fill_cache=*/true, tally);
  if (!reader.ok()) {
    span.RecordError(reader.status());
    return reader.status();
  }
  if (!spec.selective()) return MakeTracedReader(std::move(*reader), std::move(span));
  return MakeTracedReader(
      std::move(*reader), std::move(span), [tally](telemetry::Span& s) {
        s.SetAttribute("quiver.row_groups_read", tally->read.load());
        s.SetAttribute("quiver.row_groups_skipped", tally->skipped.load());
      });
}

}  // namespace quiver::store
