#pragma once

#include <memory>

#include "quiver/auth/authenticator.h"
#include "quiver/server/action_handler.h"

namespace quiver::auth {

/// Type of the DoAction that ends the caller's session.
inline constexpr char kLogoutAction[] = "logout";

/// \brief The `logout` action: revokes the bearer token of the call, which is then
/// refused with "Invalid token" until it would have expired anyway. Any authenticated
/// user may call it (Operation::kSessionAction). Returns one result, `{"status":"ok"}`.
std::shared_ptr<server::ActionHandler> MakeLogoutAction(
    std::shared_ptr<Authenticator> authenticator);

}  // namespace quiver::auth
