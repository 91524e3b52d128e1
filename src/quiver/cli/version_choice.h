#pragma once

/// \file
/// The --version N / --as-of TIME options of the reading commands (get, head, info),
/// and the hint the CLI gives when a version does not exist.

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/flight/types.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief Which version a reading command asked for; both empty = the current one.
struct VersionChoice {
  int64_t version = 0;  ///< --version N (N >= 1); 0 = not given
  std::string as_of;    ///< --as-of TIME as written; empty = not given

  bool current() const { return version == 0 && as_of.empty(); }
};

/// \brief The selector to send: the version, or --as-of turned into RFC 3339 UTC
/// (see AsOfArgument). \return Invalid for both options at once or a bad time.
arrow::Result<client::VersionSelector> ToSelector(const VersionChoice& choice);

/// \brief What to run when a version does not exist: "`quiver versions NAME` lists
/// its versions".
std::string VersionsHint(std::string_view name);

/// \brief GetInfo of `name` at `choice`. A missing version (or no version as of the
/// time) is KeyError with VersionsHint as the hint.
arrow::Result<arrow::flight::FlightInfo> GetInfoAt(client::QuiverClient& client,
                                                   const std::string& name,
                                                   const VersionChoice& choice);

}  // namespace quiver::cli
