#include <unistd.h>

#include <arrow/ipc/dictionary.h>

#include "quiver/cli/commands_internal.h"
#include "quiver/cli/download_internal.h"
#include "quiver/cli/human_units_internal.h"
#include "quiver/cli/ordered_endpoint_reader_internal.h"
#include "quiver/cli/sql_query_internal.h"
#include "quiver/cli/statement_source_internal.h"
#include "quiver/cli/text_table_internal.h"

namespace quiver::cli {
namespace {

/// Print the first `options.max_rows` rows of the result as a table; the rest is not
/// read (the streams are cancelled).
arrow::Status PrintTable(client::QuiverClient& client,
                         const arrow::flight::FlightInfo& info, const SqlOptions& options,
                         std::ostream& out) {
  arrow::ipc::DictionaryMemo memo;
  ARROW_ASSIGN_OR_RAISE(auto schema, info.GetSchema(&memo));
  TextTable table = TableFor(*schema);
  ARROW_ASSIGN_OR_RAISE(auto reader,
                        OrderedEndpointReader::Open(client, info.endpoints()));
  bool more = false;
  while (!more) {
    ARROW_ASSIGN_OR_RAISE(auto batch, reader->Next());
    if (batch == nullptr) break;
    int64_t room = options.max_rows - static_cast<int64_t>(table.rows.size());
    if (batch->num_rows() > room) {
      more = true;
      batch = batch->Slice(0, room);
    }
    for (auto& row : BatchCells(*batch, options.max_cell_width)) {
      table.rows.push_back(std::move(row));
    }
  }
  if (more) reader->Cancel();
  out << RenderTable(table);
  if (more) {
    out << "(the first " << FormatCount(options.max_rows)
        << " rows; -n N shows more, -o FILE writes them all)\n";
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status RunSql(Session& session, const SqlOptions& options, std::ostream& out) {
  if (options.max_rows < 0) return arrow::Status::Invalid("-n must be 0 or more");
  const bool as_table = options.output.empty() && options.format.empty();
  DownloadOptions download;
  if (!as_table) {
    download.output = options.output.empty() ? "-" : options.output;
    ARROW_ASSIGN_OR_RAISE(download.format,
                          ChooseOutputFormat(options.format, download.output));
  }
  ARROW_ASSIGN_OR_RAISE(auto statement, ReadStatement({options.statement, options.file},
                                                      isatty(STDIN_FILENO) == 1));
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto info, GetStatementInfo(*client, statement));
  if (as_table) return SqlError(PrintTable(*client, info, options, out));

  download.label = "sql";
  download.what = "sql";
  download.progress = session.ShowProgress();
  auto rows = Download(*client, info, download);
  if (!rows.ok()) return SqlError(rows.status());
  if (download.output != "-") {
    out << "wrote " << FormatCount(*rows) << (*rows == 1 ? " row" : " rows") << " to "
        << download.output << " (" << FormatName(download.format) << ")\n";
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
