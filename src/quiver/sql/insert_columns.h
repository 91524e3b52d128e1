#pragma once

/// \file
/// How the rows of an INSERT's query become rows of the table: which query column
/// fills which table column (by position, by a column list, or by name), each
/// converted to the table's type; columns not filled are null.

#include <memory>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::sql {

/// \brief The mapping of one INSERT. Immutable once made; thread-safe.
class InsertColumns {
 public:
  /// \brief Map the columns of `source` (the query's result) onto `target` (the
  /// table's schema). `columns`: the table columns listed in the statement (empty:
  /// all, in order); `by_name`: match the query's column names instead.
  /// \return Invalid when the counts differ, a name is not a column of the table (or
  ///         listed twice), or a column left out may not be null.
  static arrow::Result<InsertColumns> Make(const std::shared_ptr<arrow::Schema>& source,
                                           const std::shared_ptr<arrow::Schema>& target,
                                           const std::vector<std::string>& columns,
                                           bool by_name);

  /// \brief A batch of the query as a batch of the table.
  /// \return Invalid when a value does not convert to its column's type (overflow,
  ///         an unparsable string) or is null in a column that may not be.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Apply(
      const arrow::RecordBatch& batch) const;

 private:
  std::shared_ptr<arrow::Schema> target_;
  /// For each table column: the query column filling it, or -1 (null).
  std::vector<int> sources_;
};

}  // namespace quiver::sql
