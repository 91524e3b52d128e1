#include <arrow/flight/types.h>

#include "quiver/auth/auth_middleware.h"
#include "quiver/auth/role_authorizer_internal.h"

namespace quiver::auth {
namespace {

namespace flight = arrow::flight;
using server::Operation;

Role RequiredRole(Operation operation) {
  switch (operation) {
    case Operation::kDoPut:
    case Operation::kDropDataset:
    case Operation::kRestoreVersion:
    case Operation::kCompact:
      return Role::kWriter;
    case Operation::kAdminAction:
      return Role::kAdmin;
    default:
      return Role::kReader;
  }
}

class RoleAuthorizer : public server::Authorizer {
 public:
  std::string CallerName(const flight::ServerCallContext& context) override {
    const Principal* principal = GetPrincipal(context);
    return principal == nullptr ? std::string() : "user '" + principal->user + "'";
  }

  arrow::Status Authorize(const flight::ServerCallContext& context, Operation operation,
                          const store::DatasetName* dataset) override {
    const Principal* principal = GetPrincipal(context);
    if (principal == nullptr) {
      return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                     kNoCredentials);
    }
    std::string on =
        dataset == nullptr ? std::string() : " on dataset '" + dataset->ToString() + "'";
    Role required = RequiredRole(operation);
    if (principal->role < required) {
      return flight::MakeFlightError(
          flight::FlightStatusCode::Unauthorized,
          "user '" + principal->user + "' (role " +
              std::string(RoleName(principal->role)) + ") may not " +
              std::string(server::OperationName(operation)) + on + ": it needs role " +
              std::string(RoleName(required)));
    }
    if (dataset != nullptr && !principal->Covers(*dataset)) {
      return flight::MakeFlightError(flight::FlightStatusCode::Unauthorized,
                                     "user '" + principal->user + "' may not " +
                                         std::string(server::OperationName(operation)) +
                                         on +
                                         ": the dataset is outside the user's grants");
    }
    return arrow::Status::OK();
  }
};

}  // namespace

std::shared_ptr<server::Authorizer> MakeRoleAuthorizer() {
  return std::make_shared<RoleAuthorizer>();
}

}  // namespace quiver::auth
