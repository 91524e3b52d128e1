#pragma once

/// \file
/// Reading part of one Parquet part for a selective read: some row groups, some
/// columns, the rows a filter keeps.

#include <cstdint>
#include <memory>

#include <arrow/io/type_fwd.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/store/cache/footer_cache.h"
#include "quiver/store/model/read_spec.h"
#include "quiver/store/parquet/part_options.h"

namespace quiver::store {

/// \brief A reader over part of a part, and how many row groups it reads.
struct SelectedPart {
  std::shared_ptr<arrow::RecordBatchReader> reader;
  int64_t row_groups_read = 0;
  /// Row groups of the range that the filter ruled out from their statistics.
  int64_t row_groups_skipped = 0;
};

/// \brief Read the row groups [first_row_group, end_row_group) of the Parquet file
/// `file` as `plan` says: only plan.read_fields are decoded; row groups whose
/// statistics rule plan.filter out are skipped (Arrow's dataset pruning); the
/// surviving rows are filtered with Arrow's compute expressions and projected to
/// plan.schema. The limit is not applied here.
/// \return IOError if the file does not match its manifest (fewer row groups, other
/// columns).
arrow::Result<SelectedPart> OpenSelectedPart(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadPlan& plan,
    int64_t first_row_group, int64_t end_row_group, const ReadOptions& options,
    const FooterSlot& footer = {});

}  // namespace quiver::store
