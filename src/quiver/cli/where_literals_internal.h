#pragma once

/// \file
/// The values of --where (where_parser_internal.h) as Arrow scalars of a column's
/// type: integers range-checked, decimals rescaled exactly, dates and times parsed
/// (docs/cli.md, "Filters").

#include <cstdint>
#include <memory>
#include <string_view>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "quiver/cli/where_parser_internal.h"

namespace quiver::cli {

/// \brief Whether --where can compare values of (wire) type `type`: the types
/// MakeWhereLiteral writes values of.
bool WhereComparable(const arrow::DataType& type);

/// \brief The scalar of type `type` (a filter wire type, see FilterWireType) that
/// `value` stands for.
/// \return Invalid saying what is wrong with the value ("300 is out of range", "expected
///         a quoted string, not 42"), without naming the column.
arrow::Result<std::shared_ptr<arrow::Scalar>> MakeWhereLiteral(
    const WhereValue& value, const arrow::DataType& type);

/// \brief Days since 1970-01-01 of "YYYY-MM-DD" (a real calendar date, year 0001 to
/// 9999). \return Invalid otherwise.
arrow::Result<int32_t> ParseWhereDate(std::string_view text);

/// \brief A time "YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|(+|-)HH:MM]": seconds since
/// the epoch (with an offset: of UTC; without: of the wall clock it names) and the
/// fraction in nanoseconds (at most 9 digits), and whether it had a zone (Z or an
/// offset). \return Invalid otherwise.
struct WhereTime {
  int64_t seconds = 0;
  int32_t nanos = 0;  ///< 0 to 999,999,999
  bool has_zone = false;
};
arrow::Result<WhereTime> ParseWhereTime(std::string_view text);

}  // namespace quiver::cli
