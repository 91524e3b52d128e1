#include <arrow/ipc/dictionary.h>

#include "quiver/cli/commands_internal.h"
#include "quiver/cli/text_table_internal.h"

namespace quiver::cli {

arrow::Status RunHead(Session& session, const HeadOptions& options, std::ostream& out) {
  if (options.rows < 0) return arrow::Status::Invalid("-n must be 0 or more");
  ARROW_RETURN_NOT_OK(ToSelector(options.at).status());  // a bad --as-of: no call
  ReadChoice choice;
  choice.columns = options.columns;
  choice.where = options.where;
  choice.limit = options.rows;  // the server sends only these rows
  ARROW_ASSIGN_OR_RAISE(auto read, CheckReadChoice(choice));
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto info,
                        GetSelectedInfo(*client, options.name, options.at, read));
  arrow::ipc::DictionaryMemo memo;
  ARROW_ASSIGN_OR_RAISE(auto schema, info.GetSchema(&memo));
  TextTable table = TableFor(*schema);
  for (const auto& endpoint : info.endpoints()) {
    if (static_cast<int64_t>(table.rows.size()) >= options.rows) break;
    ARROW_ASSIGN_OR_RAISE(auto stream, client->OpenEndpoint(endpoint));
    while (static_cast<int64_t>(table.rows.size()) < options.rows) {
      ARROW_ASSIGN_OR_RAISE(auto chunk, stream.reader->Next());
      if (chunk.data == nullptr) break;
      int64_t wanted = options.rows - static_cast<int64_t>(table.rows.size());
      auto batch = chunk.data->Slice(0, std::min(wanted, chunk.data->num_rows()));
      for (auto& row : BatchCells(*batch, options.max_cell_width)) {
        table.rows.push_back(std::move(row));
      }
    }
    stream.reader->Cancel();  // the rest of the dataset is not needed
  }
  out << RenderTable(table);
  return arrow::Status::OK();
}

}  // namespace quiver::cli
