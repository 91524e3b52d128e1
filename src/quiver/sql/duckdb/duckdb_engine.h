#pragma once

/// \file
/// The DuckDB implementation of sql::Engine: one in-memory database, locked down at
/// open (no external access, no extension installs or loads, configuration locked, no
/// spilling to disk); each statement on its own connection. Datasets are reached
/// through a replacement scan that calls the statement's TableResolver.

#include <memory>

#include <arrow/result.h>

#include "quiver/sql/engine.h"

namespace quiver::sql {

/// \brief Start the engine. \return Invalid when DuckDB refuses the options.
arrow::Result<std::shared_ptr<Engine>> MakeDuckDbEngine(const EngineOptions& options);

}  // namespace quiver::sql
