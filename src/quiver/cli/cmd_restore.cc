#include "quiver/cli/commands.h"
#include "quiver/cli/exit_codes.h"
#include "quiver/cli/human_units.h"

namespace quiver::cli {

arrow::Status RunRestore(Session& session, const RestoreOptions& options,
                         std::ostream& out) {
  if (options.version < 1) return arrow::Status::Invalid("VERSION must be 1 or more");
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  auto restored = client->Restore(options.name, options.version);
  if (!restored.ok()) {
    if (restored.status().IsKeyError()) {
      return WithHint(VersionsHint(options.name), restored.status());
    }
    return restored.status();
  }
  out << "restored " << options.name << " to version " << options.version
      << ": it is now version " << restored->version << " ("
      << FormatCount(restored->rows) << " rows)\n";
  return arrow::Status::OK();
}

}  // namespace quiver::cli
