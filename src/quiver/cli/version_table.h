#pragma once

/// \file
/// How the CLI shows versions of a dataset: the `quiver versions` table and JSON, and
/// the short texts `info`, `restore` and `compact` print. Pure functions of
/// client::VersionInfo; the local time zone is the process's (TZ).

#include <string>
#include <vector>

#include "quiver/cli/text_table.h"
#include "quiver/client/version_info.h"

namespace quiver::cli {

/// \brief The commit time in local time, "2026-12-01 23:00:07"; the server's text
/// unchanged when it is not RFC 3339.
std::string CommittedLocal(const client::VersionInfo& version);

/// \brief The operation, with its source for a restore: "append", "restore of 3".
std::string OperationText(const client::VersionInfo& version);

/// \brief Columns VERSION, COMMITTED, OPERATION, ROWS, SIZE, PARTS; one row per
/// version in the given order.
TextTable VersionsTable(const std::vector<client::VersionInfo>& versions);

/// \brief A JSON array of objects {dataset, version, committed_at (RFC 3339 UTC),
/// operation, rows, bytes, parts[, restored_from]}, indented, ending with '\n'.
std::string VersionsJson(const std::vector<client::VersionInfo>& versions);

}  // namespace quiver::cli
