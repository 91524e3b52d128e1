#include <iostream>

#include <nlohmann/json.hpp>

#include <arrow/ipc/dictionary.h>

#include "quiver/cli/commands_internal.h"
#include "quiver/cli/human_units_internal.h"
#include "quiver/cli/text_table_internal.h"

namespace quiver::cli {

arrow::Status RunLs(Session& session, const LsOptions& options, std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto infos, client->List(options.prefix));
  if (options.json) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& info : infos) {
      arrow::ipc::DictionaryMemo memo;
      auto schema = info.GetSchema(&memo);
      list.push_back({{"name", client::NameOf(info.descriptor())},
                      {"rows", info.total_records()},
                      {"bytes", info.total_bytes()},
                      {"columns", schema.ok() ? (*schema)->num_fields() : -1}});
    }
    out << list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << '\n';
    return arrow::Status::OK();
  }
  TextTable table;
  table.header = {"NAME", "ROWS", "SIZE", "COLUMNS"};
  table.right_align = {false, true, true, true};
  for (const auto& info : infos) {
    arrow::ipc::DictionaryMemo memo;
    auto schema = info.GetSchema(&memo);
    table.rows.push_back({client::NameOf(info.descriptor()),
                          FormatCount(info.total_records()),
                          FormatBytes(info.total_bytes()),
                          schema.ok() ? std::to_string((*schema)->num_fields()) : "?"});
  }
  if (table.rows.empty()) {
    std::cerr << (options.prefix.empty()
                      ? std::string("no datasets")
                      : "no datasets whose name starts with '" + options.prefix + "'")
              << '\n';
    return arrow::Status::OK();
  }
  out << RenderTable(table);
  return arrow::Status::OK();
}

}  // namespace quiver::cli
