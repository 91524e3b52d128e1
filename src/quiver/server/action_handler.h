#pragma once

#include <string>
#include <vector>

#include <arrow/flight/server.h>
#include <arrow/flight/types.h>
#include <arrow/result.h>

#include "quiver/server/authorizer.h"

namespace quiver::server {

/// \brief A DoAction type served by a component plugged into QuiverService (e.g. the
/// auth layer's `logout`), so that the server layer needs not know it.
///
/// QuiverService lists it in ListActions, authorizes `operation()` with the installed
/// Authorizer, then calls Run. Implementations must be thread-safe.
class ActionHandler {
 public:
  virtual ~ActionHandler() = default;

  /// \brief The action's type and description, as ListActions shows it.
  virtual arrow::flight::ActionType type() const = 0;

  /// \brief The operation checked before Run (never touches a dataset).
  virtual Operation operation() const = 0;

  /// \brief Perform the action for the caller of `context`.
  /// \return the results streamed back, or an error status sent as is.
  virtual arrow::Result<std::vector<arrow::flight::Result>> Run(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::Action& action) = 0;
};

}  // namespace quiver::server
