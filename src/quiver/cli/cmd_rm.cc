#include "quiver/cli/commands_internal.h"
#include "quiver/cli/terminal_input_internal.h"

namespace quiver::cli {

arrow::Status RunRm(Session& session, const RmOptions& options, std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  const bool ask = !options.yes && StdinIsTerminal();
  for (const auto& name : options.names) {
    if (ask && !Confirm("Drop dataset '" + name + "' from " + session.ServerUrl() +
                        "? This cannot be undone.")) {
      out << "kept " << name << '\n';
      continue;
    }
    ARROW_RETURN_NOT_OK(client->Drop(name));
    out << "dropped " << name << '\n';
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
