#pragma once

/// \file
/// The commands of `quiver`, one Run function each (defined in cmd_<name>.cc). They
/// print results on `out` and progress and questions on stderr, and return an error
/// rather than printing it; QuiverMain turns errors into one line and an exit code.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <arrow/status.h>

#include "quiver/cli/read_selection_internal.h"
#include "quiver/cli/session_internal.h"
#include "quiver/cli/version_choice_internal.h"

namespace quiver::cli {

struct LsOptions {
  std::string prefix;  ///< only datasets whose name starts with this
  bool json = false;   ///< a JSON array instead of a table
};
/// \brief List datasets: name, rows, size, columns.
arrow::Status RunLs(Session& session, const LsOptions& options, std::ostream& out);

struct InfoOptions {
  std::string name;
  bool json = false;
  VersionChoice at;  ///< --version / --as-of; default the current version
};
/// \brief Describe one dataset: version and commit time, schema, rows, stored size,
/// parts, endpoints.
arrow::Status RunInfo(Session& session, const InfoOptions& options, std::ostream& out);

struct PutOptions {
  std::vector<std::string> files;  ///< paths; "-" = stdin
  std::string name;                ///< dataset name; default: each file's stem
  std::string format;              ///< input format; default: from extension/content
  bool append = false;             ///< add the rows to the dataset instead of replacing
};
/// \brief Upload files, each as a new version of a dataset, batch by batch: replacing
/// its rows, or with `append` adding to them (then several files may go to one --name).
arrow::Status RunPut(Session& session, const PutOptions& options, std::ostream& out);

struct GetOptions {
  std::string name;
  std::string output = "-";  ///< file, or "-" for stdout
  std::string format;        ///< default: from the output's extension, else CSV
  VersionChoice at;          ///< --version / --as-of; default the current version
  ReadChoice read;           ///< --columns, --where, --limit, --parallel
};
/// \brief Download a dataset (or the columns and rows `read` selects) to a file or
/// stdout, batch by batch; with --parallel K over up to K endpoints read at once,
/// written in endpoint order. With a file, a summary line goes to `out` at the end.
arrow::Status RunGet(Session& session, const GetOptions& options, std::ostream& out);

struct HeadOptions {
  std::string name;
  int64_t rows = 10;
  size_t max_cell_width = 40;
  VersionChoice at;     ///< --version / --as-of; default the current version
  std::string columns;  ///< --columns "a,b"; empty = all
  std::string where;    ///< --where; empty = every row
};
/// \brief Print the first rows of a dataset as a table: the server sends only those
/// rows (a limit) and columns.
arrow::Status RunHead(Session& session, const HeadOptions& options, std::ostream& out);

struct SqlOptions {
  std::string statement;    ///< the SQL text; empty or "-" = read it from `file` or stdin
  std::string file;         ///< -f FILE holding the statement
  std::string output;       ///< -o FILE ("-" = stdout); empty = a table on stdout
  std::string format;       ///< -o's format; default from its extension (CSV on stdout)
  int64_t max_rows = 1000;  ///< rows of a table shown at most
  size_t max_cell_width = 40;  ///< characters of a table cell shown at most
};
/// \brief Run one SQL statement on the server (Flight SQL) and print its result as a
/// table, or write it to a file or stdout in a format as `get` does. A statement that
/// writes answers with a one-row result like any other.
arrow::Status RunSql(Session& session, const SqlOptions& options, std::ostream& out);

struct RmOptions {
  std::vector<std::string> names;
  bool yes = false;  ///< do not ask for confirmation on a terminal
};
/// \brief Drop datasets, asking first when stdin is a terminal (unless `yes`).
arrow::Status RunRm(Session& session, const RmOptions& options, std::ostream& out);

struct VersionsOptions {
  std::string name;
  bool json = false;  ///< a JSON array of the server's version objects
};
/// \brief List a dataset's stored versions, oldest first: version, commit time (local),
/// operation, rows, size, parts.
arrow::Status RunVersions(Session& session, const VersionsOptions& options,
                          std::ostream& out);

struct RestoreOptions {
  std::string name;
  int64_t version = 0;
};
/// \brief Make an older version current again, as a new version.
arrow::Status RunRestore(Session& session, const RestoreOptions& options,
                         std::ostream& out);

struct CompactOptions {
  std::string name;
};
/// \brief Rewrite a dataset's small parts into larger ones (same rows, new version).
arrow::Status RunCompact(Session& session, const CompactOptions& options,
                         std::ostream& out);

/// \brief Log in as --user and keep the token for this server (mode 0600 file).
arrow::Status RunLogin(Session& session, std::ostream& out);

/// \brief Forget the token kept for this server.
arrow::Status RunLogout(Session& session, std::ostream& out);

}  // namespace quiver::cli
