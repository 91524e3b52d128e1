#pragma once

#include <memory>

#include "quiver/server/authorizer.h"

namespace quiver::auth {

/// \brief The Authorizer of quiver's roles and grants, for calls authenticated by the
/// middleware of MakeAuthMiddlewareFactory (registered under kAuthMiddlewareKey).
///
/// reader: ListFlights, GetFlightInfo, GetSchema, DoGet, ListActions, health_check and
/// its own session (logout); writer: + DoPut, drop_dataset; admin: + admin actions.
/// A dataset outside the user's grants is refused too (and left out of ListFlights).
/// Refusals are PERMISSION_DENIED naming the user, the operation and the dataset.
std::shared_ptr<server::Authorizer> MakeRoleAuthorizer();

}  // namespace quiver::auth
