#include "quiver/auth/role.h"

#include <arrow/status.h>

namespace quiver::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kWriter:
      return "writer";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

arrow::Result<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kReader, Role::kWriter, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return arrow::Status::Invalid("unknown role '", name,
                                "'; roles are reader, writer and admin");
}

}  // namespace quiver::auth
