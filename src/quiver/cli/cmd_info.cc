#include <nlohmann/json.hpp>

#include <arrow/ipc/dictionary.h>

#include "quiver/cli/commands.h"
#include "quiver/cli/human_units.h"
#include "quiver/cli/text_table.h"
#include "quiver/cli/version_table.h"

namespace quiver::cli {
namespace {

std::string LocationsText(const arrow::flight::FlightEndpoint& endpoint) {
  if (endpoint.locations.empty()) return "this server";
  std::string text;
  for (const auto& location : endpoint.locations) {
    if (!text.empty()) text += ", ";
    text += location.ToString();
  }
  return text;
}

}  // namespace

arrow::Status RunInfo(Session& session, const InfoOptions& options, std::ostream& out) {
  ARROW_RETURN_NOT_OK(ToSelector(options.at).status());  // a bad --as-of: no call
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto info, GetInfoAt(*client, options.name, options.at));
  // A server without versioned storage describes no version: shown without one.
  auto version = client::VersionOf(info);
  arrow::ipc::DictionaryMemo memo;
  ARROW_ASSIGN_OR_RAISE(auto schema, info.GetSchema(&memo));
  const std::string name = client::NameOf(info.descriptor());

  if (options.json) {
    auto fields = nlohmann::ordered_json::array();
    for (const auto& field : schema->fields()) {
      fields.push_back({{"name", field->name()},
                        {"type", field->type()->ToString()},
                        {"nullable", field->nullable()}});
    }
    auto endpoints = nlohmann::ordered_json::array();
    for (const auto& endpoint : info.endpoints()) {
      auto locations = nlohmann::ordered_json::array();
      for (const auto& location : endpoint.locations)
        locations.push_back(location.ToString());
      endpoints.push_back({{"ticket", endpoint.ticket.ticket}, {"locations", locations}});
    }
    nlohmann::ordered_json doc = {{"name", name}};
    if (version.ok()) {
      doc["version"] = version->version;
      doc["committed_at"] = version->committed_at;
      doc["operation"] = version->operation;
      if (version->restored_from) doc["restored_from"] = *version->restored_from;
      doc["parts"] = version->parts;
    }
    doc["rows"] = info.total_records();
    doc["bytes"] = info.total_bytes();
    doc["schema"] = fields;
    doc["endpoints"] = endpoints;
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << '\n';
    return arrow::Status::OK();
  }

  out << "name:       " << name << '\n';
  if (version.ok()) {
    out << "version:    " << version->version << " (" << OperationText(*version)
        << ", committed " << CommittedLocal(*version) << ")\n"
        << "parts:      " << version->parts << '\n';
  }
  out << "rows:       " << FormatCount(info.total_records()) << '\n'
      << "size:       " << FormatBytes(info.total_bytes()) << " ("
      << FormatCount(info.total_bytes()) << " bytes, Parquet)\n"
      << "columns:    " << schema->num_fields() << '\n';
  TextTable fields;
  fields.header = {"  COLUMN", "TYPE", "NULLABLE"};
  for (const auto& field : schema->fields()) {
    fields.rows.push_back({"  " + field->name(), field->type()->ToString(),
                           field->nullable() ? "yes" : "no"});
  }
  out << RenderTable(fields);
  out << "endpoints:  " << info.endpoints().size() << '\n';
  for (const auto& endpoint : info.endpoints()) {
    out << "  ticket " << FitCell(endpoint.ticket.ticket, 60) << " at "
        << LocationsText(endpoint) << '\n';
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
