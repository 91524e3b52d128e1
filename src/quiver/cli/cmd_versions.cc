#include "quiver/cli/commands.h"
#include "quiver/cli/version_table.h"

namespace quiver::cli {

arrow::Status RunVersions(Session& session, const VersionsOptions& options,
                          std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto versions, client->ListVersions(options.name));
  if (options.json) {
    out << VersionsJson(versions);
  } else {
    out << RenderTable(VersionsTable(versions));
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
