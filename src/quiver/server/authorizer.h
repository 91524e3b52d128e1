#pragma once

/// \file
/// The seam through which access control plugs into QuiverService.
///
/// The server layer only knows this interface: which operation a call performs and on
/// which dataset. Who the caller is, and what a role may do, is the business of the
/// implementation (quiver_auth). With no Authorizer installed, every call is allowed.

#include <string>
#include <string_view>

#include <arrow/flight/server.h>
#include <arrow/status.h>

#include "quiver/store/model/dataset_name.h"

namespace quiver::server {

/// \brief What a call does, as far as access control is concerned.
enum class Operation {
  kListFlights,
  kGetFlightInfo,
  kGetSchema,
  kDoGet,
  kListActions,
  kHealthCheck,
  kDoPut,
  kDropDataset,
  /// list_versions (and time travel, which is kGetFlightInfo): reader.
  kListVersions,
  /// restore_version, compact: writer.
  kRestoreVersion,
  kCompact,
  /// Actions on the caller's own session (e.g. logout): any authenticated caller.
  kSessionAction,
  /// Actions that administer the service itself (users...).
  kAdminAction,
};

/// \brief The operation's name as users see it in errors and logs ("DoPut",
/// "drop_dataset"...).
std::string_view OperationName(Operation operation);

/// \brief Decides whether the caller of a call may perform an operation.
///
/// Implementations must be thread-safe: QuiverService calls Authorize concurrently from
/// every RPC thread. They must not block for long (no I/O on the hot path).
class Authorizer {
 public:
  virtual ~Authorizer() = default;

  /// \brief Check that the caller of `context` may perform `operation`.
  /// \param dataset the dataset the operation touches, or nullptr when it touches none
  ///        (or, for kListFlights, to ask whether listing is allowed at all).
  /// \return OK to allow; otherwise the status to send back, normally
  ///         MakeFlightError(FlightStatusCode::Unauthorized, ...) (PERMISSION_DENIED)
  ///         naming the operation. The handler does nothing else when it is not OK.
  virtual arrow::Status Authorize(const arrow::flight::ServerCallContext& context,
                                  Operation operation,
                                  const store::DatasetName* dataset) = 0;

  /// \brief Who makes the call, for per-user limits ("user 'alice'"); empty when the
  /// call is not authenticated (the limits then count by client address).
  virtual std::string CallerName(const arrow::flight::ServerCallContext& context) {
    (void)context;
    return {};
  }
};

}  // namespace quiver::server
