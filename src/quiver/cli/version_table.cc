#include "quiver/cli/version_table.h"

#include <nlohmann/json.hpp>

#include "quiver/cli/human_units.h"
#include "quiver/cli/timestamps.h"

namespace quiver::cli {

std::string CommittedLocal(const client::VersionInfo& version) {
  auto micros = ParseRfc3339(version.committed_at);
  return micros.ok() ? FormatLocalTime(*micros) : version.committed_at;
}

std::string OperationText(const client::VersionInfo& version) {
  if (version.restored_from) {
    return version.operation + " of " + std::to_string(*version.restored_from);
  }
  return version.operation;
}

TextTable VersionsTable(const std::vector<client::VersionInfo>& versions) {
  TextTable table;
  table.header = {"VERSION", "COMMITTED", "OPERATION", "ROWS", "SIZE", "PARTS"};
  table.right_align = {true, false, false, true, true, true};
  for (const auto& version : versions) {
    table.rows.push_back({std::to_string(version.version), CommittedLocal(version),
                          OperationText(version), FormatCount(version.rows),
                          FormatBytes(version.bytes), FormatCount(version.parts)});
  }
  return table;
}

std::string VersionsJson(const std::vector<client::VersionInfo>& versions) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& version : versions) {
    nlohmann::ordered_json entry = {{"dataset", version.dataset},
                                    {"version", version.version},
                                    {"committed_at", version.committed_at},
                                    {"operation", version.operation},
                                    {"rows", version.rows},
                                    {"bytes", version.bytes},
                                    {"parts", version.parts}};
    if (version.restored_from) entry["restored_from"] = *version.restored_from;
    list.push_back(std::move(entry));
  }
  return list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

}  // namespace quiver::cli
