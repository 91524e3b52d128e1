#include <string_view>

#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/sql_query_internal.h"
#include "quiver/flightsql/command_codec.h"

namespace quiver::cli {

arrow::flight::FlightDescriptor StatementDescriptor(const std::string& sql) {
  flightsql::pb::CommandStatementQuery command;
  command.set_query(sql);
  return arrow::flight::FlightDescriptor::Command(flightsql::Pack(command));
}

arrow::Result<arrow::flight::FlightInfo> GetStatementInfo(client::QuiverClient& client,
                                                          const std::string& sql) {
  auto info =
      client.flight().GetFlightInfo(client.CallOptions(), StatementDescriptor(sql));
  if (!info.ok()) return SqlError(info.status());
  return std::move(**info);
}

arrow::Status SqlError(arrow::Status status) {
  if (status.ok()) return status;
  if (ClassifyStatus(status) == ExitCode::kUsage) {
    status = WithHint("see docs/sql.md", std::move(status));
  }
  std::string text = ServerMessage(status);
  auto newline = text.find('\n');
  if (newline == std::string::npos) return status;
  // The lines after the first, without blank ones and trailing blanks.
  std::string context;
  std::string_view rest = std::string_view(text).substr(newline + 1);
  while (!rest.empty()) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    if (!context.empty()) context += '\n';
    context += line;
  }
  return WithContext(std::move(context), status.WithMessage(text.substr(0, newline)));
}

}  // namespace quiver::cli
