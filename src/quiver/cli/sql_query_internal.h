#pragma once

/// \file
/// Running one SQL statement the Flight SQL way over a plain Flight client, as
/// `quiver sql` does: GetFlightInfo of a CMD descriptor holding an Any-packed
/// `CommandStatementQuery`, then DoGet of each endpoint's ticket, in order. A write
/// (CREATE TABLE AS, INSERT, DROP) answers the same way, with a one-row result.

#include <string>

#include <arrow/flight/types.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief The CMD descriptor of a Flight SQL `CommandStatementQuery` holding `sql`.
arrow::flight::FlightDescriptor StatementDescriptor(const std::string& sql);

/// \brief Prepare `sql` on the server: the schema of its result and the endpoints
/// whose tickets stream it (read them with the client's OpenEndpoint, in order).
/// \return the server's errors as SqlError makes them.
arrow::Result<arrow::flight::FlightInfo> GetStatementInfo(client::QuiverClient& client,
                                                          const std::string& sql);

/// \brief A failed statement's error as the user should see it: the engine's message
/// on the first line and the lines it adds (DuckDB's "LINE 1: ..." with a caret under
/// the position) kept below it, with the exit class of the Flight status. OK stays
/// OK; errors that did not come from the server are returned unchanged.
arrow::Status SqlError(arrow::Status status);

}  // namespace quiver::cli
