#pragma once

/// \file
/// VersionInfo: one version of a dataset as quiverd describes it, in the JSON of the
/// list_versions, restore_version and compact actions and of every FlightInfo's
/// app_metadata (docs/protocol.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <arrow/flight/types.h>
#include <arrow/result.h>

namespace quiver::client {

/// \brief One committed version of a dataset. Plain data; copyable.
struct VersionInfo {
  std::string dataset;
  int64_t version = 0;
  /// Commit time as the server wrote it: RFC 3339 in UTC with microseconds.
  std::string committed_at;
  /// What made the version: overwrite, append, drop, restore, compact, migrate.
  std::string operation;
  int64_t rows = 0;
  int64_t bytes = 0;  ///< stored Parquet bytes
  int64_t parts = 0;  ///< Parquet part files
  /// For a restore: the version whose data it made current again.
  std::optional<int64_t> restored_from;
};

/// \brief Decode one JSON object sent by the server. Unknown members are ignored (a
/// newer server may add some); known members of the wrong type are errors.
/// \return IOError naming the member when the text is not a version description.
arrow::Result<VersionInfo> ParseVersionInfo(std::string_view json);

/// \brief The version a FlightInfo describes, from its app_metadata.
/// \return NotImplemented when the FlightInfo carries none (a server without
///         versioned storage); IOError when it is malformed.
arrow::Result<VersionInfo> VersionOf(const arrow::flight::FlightInfo& info);

}  // namespace quiver::client
