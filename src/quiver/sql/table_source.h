#pragma once

/// \file
/// What the SQL engine sees of quiver's datasets: tables resolved by name while a
/// statement is bound, each a pinned snapshot it can scan with a projection.
///
/// The engine knows nothing of Flight nor of the store: the front end implements
/// TableResolver over the store's public API (and the caller's grants).

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::sql {

/// \brief One table of a statement: a fixed snapshot (one dataset version).
///
/// Thread-safe: a statement may open several readers at once (self-joins).
class TableSource {
 public:
  virtual ~TableSource() = default;

  /// \brief The snapshot's schema (its columns, in order).
  virtual const std::shared_ptr<arrow::Schema>& schema() const = 0;

  /// \brief Rows of the snapshot (a hint for the planner).
  virtual int64_t num_rows() const = 0;

  /// \brief Pieces the snapshot reads in, each on an engine thread of its own (at
  /// least 1); the pieces in order are the snapshot's rows in order.
  virtual int partitions() const = 0;

  /// \brief A reader over piece `partition` (0 <= partition < partitions()) of the
  /// snapshot, returning only `columns` (indices into schema(), in that order; never
  /// empty).
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Open(
      const std::vector<int>& columns, int partition) const = 0;
};

/// \brief Which version of a table a statement reads (time travel, docs/sql.md).
struct TableAt {
  enum class Kind {
    kCurrent,  ///< the version current when the statement is prepared
    kVersion,  ///< `value` is a version number
    kAsOf,     ///< the version current at `value`, microseconds since the epoch (UTC)
  };
  Kind kind = Kind::kCurrent;
  int64_t value = 0;
};

/// \brief Turns the table names of a statement into sources.
///
/// Called on the preparing thread only, while the engine binds the statement, once
/// for each distinct name the statement reads (as written, identifiers unquoted).
class TableResolver {
 public:
  virtual ~TableResolver() = default;

  /// \return the source; KeyError when no table has this name (the engine then goes
  ///         on with its own look-up, and reports an unknown table); any other error
  ///         fails the statement with that status (e.g. the caller may not read it).
  virtual arrow::Result<std::shared_ptr<TableSource>> Resolve(std::string_view name) = 0;

  /// \brief A given version of the table `name` (the time-travel table functions).
  /// \return as Resolve, except that an unknown table or version is KeyError saying
  ///         which (the statement then fails: the name was meant for quiver).
  virtual arrow::Result<std::shared_ptr<TableSource>> ResolveAt(std::string_view name,
                                                                const TableAt& at) = 0;
};

}  // namespace quiver::sql
