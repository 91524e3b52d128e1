#pragma once

/// \file
/// What a selective read asks of one version: columns, a row filter, a row limit and a
/// slice of the version's row groups. The server fills a ReadSpec from a client's
/// command or ticket; the store validates it against the version (PlanRead) and reads
/// only what it needs (DatasetStore::OpenReader).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/compute/expression.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "quiver/store/model/manifest.h"

namespace quiver::store {

/// \brief A half-open range [begin, end) of a version's row groups, numbered 0, 1, ...
/// across its parts in order (part 0's row groups first).
struct RowGroupRange {
  int64_t begin = 0;
  int64_t end = 0;

  int64_t size() const { return end - begin; }
  bool operator==(const RowGroupRange&) const = default;
};

/// \brief A selective read. Everything empty reads the whole version.
struct ReadSpec {
  /// Columns to return, in this order (top-level names; unique). Empty: all.
  std::optional<std::vector<std::string>> columns;
  /// Rows to keep: a boolean expression over the version's columns, fields referenced
  /// by name (unbound). Rows where it is false or null are dropped. Row groups whose
  /// Parquet statistics rule it out are never read.
  std::optional<arrow::compute::Expression> filter;
  /// At most this many rows (after the filter), the first ones in version order.
  std::optional<int64_t> limit;
  /// Only these row groups. Empty: all of them.
  std::optional<RowGroupRange> row_groups;

  bool selective() const { return columns || filter || limit || row_groups; }
};

/// \brief Counters of row groups read and skipped by selective reads (for metrics).
struct ReadCounters {
  std::atomic<int64_t> row_groups_read{0};
  /// Ruled out by their statistics, never read.
  std::atomic<int64_t> row_groups_skipped{0};
};

/// \brief A ReadSpec checked against one version.
struct ReadPlan {
  /// The schema of the batches returned (the version's, projected).
  std::shared_ptr<arrow::Schema> schema;
  /// Top-level fields read from the parts, ascending: the projection's and the filter's.
  std::vector<int> read_fields;
  /// For each output column, its position among read_fields.
  std::vector<int> output_positions;
  /// The filter bound to the read fields' schema; unset without filter.
  std::optional<arrow::compute::Expression> filter;
  /// The filter as given (unbound, by name), for pruning against each part's file.
  std::optional<arrow::compute::Expression> unbound_filter;
  std::optional<int64_t> limit;
  RowGroupRange row_groups;
};

/// \brief Check `spec` against `manifest`: unknown or repeated columns, a filter that
/// does not bind to the version's columns or is not boolean, a row-group range outside
/// the version -> Invalid naming the problem.
arrow::Result<ReadPlan> PlanRead(const Manifest& manifest, const ReadSpec& spec);

/// \brief Number of row groups of a version (all parts).
int64_t CountRowGroups(const Manifest& manifest);

/// \brief Split a version's row groups into at most `count` contiguous ranges of
/// similar stored size (a part's bytes are shared equally by its row groups). Never
/// returns an empty range; returns no range for a version without row groups.
std::vector<RowGroupRange> SplitRowGroups(const Manifest& manifest, int64_t count);

/// \brief The number of ranges "auto" asks for: one per kAutoEndpointBytes of stored
/// data, at least 1, at most kMaxAutoEndpoints.
int64_t AutoSplitCount(const Manifest& manifest);

inline constexpr int64_t kAutoEndpointBytes = int64_t{256} << 20;
inline constexpr int64_t kMaxAutoEndpoints = 16;

}  // namespace quiver::store
