#include <set>
#include <utility>

#include <arrow/compute/initialize.h>
#include <arrow/ipc/dictionary.h>
#include <arrow/status.h>

#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/read_selection_internal.h"
#include "quiver/cli/where_compiler_internal.h"
#include "quiver/client/filter_encoding.h"

namespace quiver::cli {

/// Most endpoints --parallel asks for (the server's bound).
constexpr int kMaxParallel = 64;

arrow::Result<std::vector<std::string>> ParseColumnList(std::string_view text) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string name(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (name.empty()) {
      return arrow::Status::Invalid("--columns: empty column name in '", text,
                                    "' (names are separated by single commas)");
    }
    if (!seen.insert(name).second) {
      return arrow::Status::Invalid("--columns: column '", name, "' is given twice");
    }
    names.push_back(std::move(name));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return names;
}

arrow::Result<CheckedReadChoice> CheckReadChoice(const ReadChoice& choice) {
  CheckedReadChoice out;
  out.choice = choice;
  if (!choice.columns.empty()) {
    auto columns = ParseColumnList(choice.columns);
    if (!columns.ok()) return WithExitCode(ExitCode::kUsage, columns.status());
    out.columns = std::move(*columns);
  }
  if (!choice.where.empty()) {
    auto where = ParseWhere(choice.where);
    if (!where.ok()) return WithExitCode(ExitCode::kUsage, where.status());
    out.where = std::move(*where);
  }
  if (choice.limit < -1) {
    return WithExitCode(ExitCode::kUsage,
                        arrow::Status::Invalid("--limit must be 0 or more"));
  }
  if (choice.parallel < 1 || choice.parallel > kMaxParallel) {
    return WithExitCode(ExitCode::kUsage,
                        arrow::Status::Invalid("--parallel must be 1 to ", kMaxParallel));
  }
  return out;
}

arrow::Result<arrow::flight::FlightInfo> GetSelectedInfo(client::QuiverClient& client,
                                                         const std::string& name,
                                                         const VersionChoice& at,
                                                         const CheckedReadChoice& read) {
  client::ReadSelection selection;
  selection.columns = read.columns;
  if (read.choice.limit >= 0) selection.limit = read.choice.limit;
  if (read.choice.parallel > 1) selection.endpoints = read.choice.parallel;
  if (selection.empty() && !read.where) return GetInfoAt(client, name, at);

  ARROW_ASSIGN_OR_RAISE(auto selector, ToSelector(at));
  if (read.where) {
    // The filter is compiled against the schema of the version it will read.
    ARROW_ASSIGN_OR_RAISE(auto plain, GetInfoAt(client, name, at));
    arrow::ipc::DictionaryMemo memo;
    ARROW_ASSIGN_OR_RAISE(auto schema, plain.GetSchema(&memo));
    ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
    auto compiled = CompileWhere(*read.where, *schema);
    if (!compiled.ok()) return WithExitCode(ExitCode::kUsage, compiled.status());
    auto encoded = client::EncodeFilter(compiled->expression, compiled->schema);
    if (!encoded.ok()) {
      return WithExitCode(ExitCode::kUsage, encoded.status().WithMessage(
                                                "--where: ", encoded.status().message()));
    }
    selection.filter = std::move(*encoded);
    auto version = client::VersionOf(plain);
    if (version.ok()) selector = client::VersionSelector::Version(version->version);
  }
  auto info = client.GetInfo(name, selector, selection);
  if (!info.ok() && info.status().IsKeyError() && !selector.current()) {
    return WithHint(VersionsHint(name), info.status());
  }
  return info;
}

}  // namespace quiver::cli
