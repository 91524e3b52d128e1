#include "quiver/server/authorizer.h"

namespace quiver::server {

std::string_view OperationName(Operation operation) {
  switch (operation) {
    case Operation::kListFlights:
      return "ListFlights";
    case Operation::kGetFlightInfo:
      return "GetFlightInfo";
    case Operation::kGetSchema:
      return "GetSchema";
    case Operation::kDoGet:
      return "DoGet";
    case Operation::kListActions:
      return "ListActions";
    case Operation::kHealthCheck:
      return "health_check";
    case Operation::kDoPut:
      return "DoPut";
    case Operation::kDropDataset:
      return "drop_dataset";
    case Operation::kListVersions:
      return "list_versions";
    case Operation::kRestoreVersion:
      return "restore_version";
    case Operation::kCompact:
      return "compact";
    case Operation::kSessionAction:
      return "session action";
    case Operation::kAdminAction:
      return "admin action";
  }
  return "unknown operation";
}

}  // namespace quiver::server
