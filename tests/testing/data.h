#pragma once

#include <memory>

#include <arrow/record_batch.h>
#include <arrow/table.h>

namespace quiver::testing {

/// \brief A batch with one int64 column "x" holding start, start+1, ...
std::shared_ptr<arrow::RecordBatch> IntBatch(int64_t num_rows, int64_t start = 0);

/// \brief A table of `num_batches` IntBatch()es with consecutive values.
std::shared_ptr<arrow::Table> IntTable(int64_t num_batches, int64_t rows_per_batch);

/// \brief A table with one column of (nearly) every Arrow type quiver must round-trip
/// exactly, nulls included: integers, floats, bool, strings, large strings, binary,
/// dates, times, durations, timestamps with time zones, decimals, lists, structs, maps, dictionaries.
std::shared_ptr<arrow::Table> AllTypesTable(int64_t num_rows);

}  // namespace quiver::testing
