#pragma once

#include <string_view>

#include <arrow/result.h>

namespace quiver::auth {

/// \brief What a user may do. Each role includes the ones before it:
/// - kReader: ListFlights, GetFlightInfo, GetSchema, DoGet, ListActions, health_check;
/// - kWriter: + DoPut and drop_dataset;
/// - kAdmin:  + administration actions.
enum class Role { kReader, kWriter, kAdmin };

/// \brief "reader", "writer" or "admin".
std::string_view RoleName(Role role);

/// \brief Parse a role name. \return Invalid listing the roles for anything else.
arrow::Result<Role> ParseRole(std::string_view name);

}  // namespace quiver::auth
