#pragma once

/// \file
/// The --columns, --where, --limit and --parallel options of the reading commands
/// (get, head): checked before any call, then turned into the selective read command
/// of docs/protocol.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/flight/types.h>
#include <arrow/result.h>

#include "quiver/cli/version_choice_internal.h"
#include "quiver/cli/where_parser_internal.h"
#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief What part of a dataset a reading command asks for, as given.
struct ReadChoice {
  std::string columns;  ///< --columns "a,b"; empty = all
  std::string where;    ///< --where; empty = every row
  int64_t limit = -1;   ///< --limit N; -1 = none
  int parallel = 1;     ///< --parallel K: endpoints requested and read at once
};

/// \brief Split "a,b,c" into column names. \return Invalid for an empty name or a
/// name given twice.
arrow::Result<std::vector<std::string>> ParseColumnList(std::string_view text);

/// \brief A ReadChoice checked without the server: columns split, --where parsed.
struct CheckedReadChoice {
  ReadChoice choice;
  std::optional<std::vector<std::string>> columns;
  std::optional<WhereNode> where;
};
/// \return errors tagged ExitCode::kUsage (bad --columns, --where syntax, --limit or
///         --parallel out of range).
arrow::Result<CheckedReadChoice> CheckReadChoice(const ReadChoice& choice);

/// \brief The FlightInfo of `name` at `at` reading what `read` selects. With --where,
/// a first GetFlightInfo gives the version and its schema, the filter is compiled
/// against it, and the selective one is pinned to that version.
/// \return --where type errors tagged ExitCode::kUsage; server errors as they come.
arrow::Result<arrow::flight::FlightInfo> GetSelectedInfo(client::QuiverClient& client,
                                                         const std::string& name,
                                                         const VersionChoice& at,
                                                         const CheckedReadChoice& read);

}  // namespace quiver::cli
