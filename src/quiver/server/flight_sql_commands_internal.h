#pragma once

/// \file
/// What Flight SQL commands mean, apart from sessions and handles: the result schema
/// and batch of each metadata command, and the table options of an ingestion.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/flightsql/command_codec.h"
#include "quiver/sql/dataset_writer.h"
#include "quiver/sql/metadata.h"

namespace quiver::server {

/// \brief The result schema of a metadata command; nullptr for other commands.
std::shared_ptr<arrow::Schema> MetadataSchema(const flightsql::Command& command);

/// \brief The one batch answering a metadata command (MetadataSchema not null).
/// `list_tables` gives the tables the caller may see (called for GetTables only).
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeMetadata(
    const flightsql::Command& command, const std::string& server_version,
    const std::function<std::vector<sql::TableEntry>()>& list_tables);

/// \brief The table options of CommandStatementIngest.
/// \return NotImplemented for a temporary table; Invalid for another catalog or schema
///         than quiver's, or an unspecified option.
arrow::Result<sql::IngestMode> IngestModeOf(
    const flightsql::pb::CommandStatementIngest& ingest);

}  // namespace quiver::server
