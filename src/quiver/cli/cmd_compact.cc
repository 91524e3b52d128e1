#include "quiver/cli/commands.h"
#include "quiver/cli/human_units.h"

namespace quiver::cli {
namespace {

std::string Parts(int64_t count) {
  return FormatCount(count) + (count == 1 ? " part" : " parts");
}

}  // namespace

arrow::Status RunCompact(Session& session, const CompactOptions& options,
                         std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  // The version before, for the report; the compaction itself works on whatever is
  // current when it runs (appends committed meanwhile are kept).
  ARROW_ASSIGN_OR_RAISE(auto before_info, client->GetInfo(options.name));
  ARROW_ASSIGN_OR_RAISE(auto before, client::VersionOf(before_info));
  ARROW_ASSIGN_OR_RAISE(auto after, client->Compact(options.name));
  if (after.version == before.version) {
    out << options.name << ": nothing to compact (version " << after.version << ", "
        << Parts(after.parts) << ")\n";
    return arrow::Status::OK();
  }
  out << "compacted " << options.name << ": " << Parts(before.parts) << " -> "
      << Parts(after.parts) << ", " << FormatCount(after.rows) << " rows, now version "
      << after.version << '\n';
  return arrow::Status::OK();
}

}  // namespace quiver::cli
