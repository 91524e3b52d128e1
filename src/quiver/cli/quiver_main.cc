#include "quiver/cli/quiver_main.h"

#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "quiver/cli/commands_internal.h"
#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/session_internal.h"
#include "quiver/common/version_text.h"

namespace quiver::cli {
namespace {

using Action = std::function<arrow::Status()>;

/// A subcommand with a description and an example, run through `action`.
CLI::App* AddCommand(CLI::App& app, const std::string& name, const std::string& about,
                     const std::string& example) {
  CLI::App* command = app.add_subcommand(name, about);
  command->footer("Example:\n  " + example);
  return command;
}

/// Accept a version number: an integer, 1 or more.
CLI::Validator VersionNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::size_t used = 0;
        long long value = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || used == 0 || value < 1) {
          return "'" + text + "' is not a version number (1 or more)";
        }
        return std::string();
      },
      "VERSION");
}

/// --version N and --as-of TIME of a reading command.
void AddVersionOptions(CLI::App* command, VersionChoice& at) {
  auto* version = command->add_option("--version", at.version,
                                      "read this version (see `quiver versions NAME`)");
  version->check(VersionNumber());
  auto* as_of = command->add_option(
      "--as-of", at.as_of,
      "read the version current at TIME: local time '2026-12-01 23:00:00' (as "
      "`quiver versions` prints it, covering that whole second) or RFC 3339 "
      "2026-12-01T22:00:00Z");
  version->excludes(as_of);
}

/// --columns and --where of a reading command.
void AddSelectionOptions(CLI::App* command, std::string& columns, std::string& where) {
  command->add_option("--columns", columns,
                      "only these columns, in this order: a,b,c (the server sends no "
                      "others)");
  command->add_option("--where", where,
                      "only the rows where this holds, e.g. \"amount > 100 and city = "
                      "'Oslo'\" (the server filters; see docs/cli.md, Filters)");
}

void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  app.add_option("--server", global.server,
                 "quiverd URL: grpc://HOST:PORT or grpc+tls://HOST:PORT (default: "
                 "$QUIVER_SERVER, else grpc://127.0.0.1:8815)");
  app.add_option("--tls-roots", global.tls_roots,
                 "PEM file of the CA certificates to trust for grpc+tls:// servers");
  app.add_option("--cert", global.cert, "PEM client certificate, for mutual TLS");
  app.add_option("--key", global.key, "PEM private key of --cert");
  app.add_option("--user", global.user,
                 "log in as this user (password from $QUIVER_PASSWORD or a prompt, never "
                 "from the command line)");
  app.add_option("--timeout", global.timeout_seconds,
                 "deadline in seconds of each call to the server (default: none)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--no-progress", global.no_progress, "never draw a progress bar");
}

void AddCommands(CLI::App& app, Session& session, Action& action) {
  std::ostream& out = std::cout;

  auto ls = std::make_shared<LsOptions>();
  auto* ls_cmd = AddCommand(app, "ls", "List datasets: name, rows, size, columns",
                            "quiver ls sales/ --json");
  ls_cmd->add_option("PREFIX", ls->prefix, "only datasets whose name starts with PREFIX");
  ls_cmd->add_flag("--json", ls->json, "print a JSON array (name, rows, bytes, columns)");
  ls_cmd->callback([&, ls] { action = [&, ls] { return RunLs(session, *ls, out); }; });

  auto info = std::make_shared<InfoOptions>();
  auto* info_cmd = AddCommand(
      app, "info",
      "Describe a dataset: version and commit time, schema, rows, stored size, parts, "
      "endpoints",
      "quiver info sales/2024\n  quiver info sales/2024 --version 3 --json");
  info_cmd->add_option("NAME", info->name, "dataset name")->required();
  info_cmd->add_flag("--json", info->json, "print a JSON object");
  AddVersionOptions(info_cmd, info->at);
  info_cmd->callback(
      [&, info] { action = [&, info] { return RunInfo(session, *info, out); }; });

  auto put = std::make_shared<PutOptions>();
  auto* put_cmd = AddCommand(
      app, "put",
      "Upload Parquet, CSV, JSON-lines or Arrow IPC/Feather files, batch by batch; "
      "each makes a new version of the dataset of the same name, replacing its rows "
      "(or adding to them with --append)",
      "quiver put sales.csv --name sales/2024\n  quiver put --append january.csv "
      "february.csv --name sales/2024\n  cat events.jsonl | quiver put - --name "
      "events --format json");
  put_cmd->add_option("FILE", put->files, "files to upload; - reads stdin")->required();
  put_cmd->add_option("--name", put->name,
                      "dataset name (default: the file name without extension)");
  put_cmd->add_option("--format", put->format,
                      "parquet, csv, json or arrow (default: from the extension, else "
                      "from the content)");
  put_cmd->add_flag(
      "--append", put->append,
      "add the rows to the dataset (same schema) instead of replacing them; "
      "creates it if missing");
  put_cmd->callback(
      [&, put] { action = [&, put] { return RunPut(session, *put, out); }; });

  auto get = std::make_shared<GetOptions>();
  auto* get_cmd =
      AddCommand(app, "get", "Download a dataset to a file or stdout, batch by batch",
                 "quiver get sales/2024 -o sales.parquet\n  quiver get "
                 "sales/2024 --format json | head\n  quiver get sales/2024 --columns "
                 "city,amount --where \"amount > 100 and city = 'Oslo'\" -o oslo.csv\n  "
                 "quiver get sales/2024 --parallel 4 -o sales.arrow\n  quiver get "
                 "sales/2024 --version 3 "
                 "-o old.csv\n  quiver get sales/2024 --as-of '2026-12-01 09:00' -o "
                 "morning.parquet");
  get_cmd->add_option("NAME", get->name, "dataset name")->required();
  get_cmd->add_option("-o,--output", get->output, "output file; - is stdout (default)");
  get_cmd->add_option("--format", get->format,
                      "parquet, csv, json or arrow (default: from the -o extension; CSV "
                      "on stdout)");
  AddVersionOptions(get_cmd, get->at);
  AddSelectionOptions(get_cmd, get->read.columns, get->read.where);
  get_cmd
      ->add_option("--limit", get->read.limit,
                   "at most N rows (the first ones, after --where)")
      ->check(CLI::NonNegativeNumber);
  get_cmd
      ->add_option("--parallel", get->read.parallel,
                   "ask for up to K endpoints and read them at once (the file is "
                   "written in endpoint order, as a plain read would); default 1")
      ->check(CLI::Range(1, 64));
  get_cmd->callback(
      [&, get] { action = [&, get] { return RunGet(session, *get, out); }; });

  auto head = std::make_shared<HeadOptions>();
  auto* head_cmd = AddCommand(app, "head", "Print the first rows of a dataset as a table",
                              "quiver head sales/2024 -n 5\n  quiver head "
                              "sales/2024 --version 1");
  head_cmd->add_option("NAME", head->name, "dataset name")->required();
  head_cmd->add_option("-n,--rows", head->rows, "number of rows (default 10)")
      ->check(CLI::NonNegativeNumber);
  AddVersionOptions(head_cmd, head->at);
  AddSelectionOptions(head_cmd, head->columns, head->where);
  head_cmd->callback(
      [&, head] { action = [&, head] { return RunHead(session, *head, out); }; });

  auto sql = std::make_shared<SqlOptions>();
  auto* sql_cmd = AddCommand(
      app, "sql",
      "Run a SQL statement on the server (Flight SQL) and print its result as a table, "
      "or write it to a file",
      "quiver sql 'SELECT city, sum(amount) AS total FROM \"shop/orders\" GROUP BY "
      "city'\n  quiver sql -f report.sql -o report.parquet\n  echo 'SELECT * FROM "
      "events LIMIT 5' | quiver sql --format json");
  auto* sql_text = sql_cmd->add_option(
      "SQL", sql->statement,
      "the statement; - or none reads it from stdin (datasets are tables: "
      "\"sales/2024\")");
  sql_cmd->add_option("-f,--file", sql->file, "read the statement from this file")
      ->excludes(sql_text);
  sql_cmd->add_option("-o,--output", sql->output,
                      "write the result to this file (- is stdout) instead of a table");
  sql_cmd->add_option("--format", sql->format,
                      "parquet, csv, json or arrow (default: from the -o extension; CSV "
                      "on stdout)");
  sql_cmd
      ->add_option("-n,--max-rows", sql->max_rows,
                   "rows of a table shown at most (default 1000)")
      ->check(CLI::NonNegativeNumber);
  sql_cmd->callback(
      [&, sql] { action = [&, sql] { return RunSql(session, *sql, out); }; });

  auto rm = std::make_shared<RmOptions>();
  auto* rm_cmd = AddCommand(app, "rm",
                            "Drop datasets (asks first on a terminal; stops at the first "
                            "error)",
                            "quiver rm -y old/2019 old/2020");
  rm_cmd->add_option("NAME", rm->names, "dataset names")->required();
  rm_cmd->add_flag("-y,--yes", rm->yes, "do not ask for confirmation");
  rm_cmd->callback([&, rm] { action = [&, rm] { return RunRm(session, *rm, out); }; });

  auto versions = std::make_shared<VersionsOptions>();
  auto* versions_cmd = AddCommand(
      app, "versions",
      "List a dataset's stored versions, oldest first (the last is current): version, "
      "commit time (local), operation, rows, size, parts",
      "quiver versions sales/2024\n  quiver versions sales/2024 --json");
  versions_cmd->add_option("NAME", versions->name, "dataset name")->required();
  versions_cmd->add_flag("--json", versions->json,
                         "print a JSON array (dataset, version, committed_at in UTC, "
                         "operation, rows, bytes, parts, restored_from)");
  versions_cmd->callback([&, versions] {
    action = [&, versions] { return RunVersions(session, *versions, out); };
  });

  auto restore = std::make_shared<RestoreOptions>();
  auto* restore_cmd = AddCommand(
      app, "restore",
      "Make an older version current again, as a new version (later versions are "
      "kept)",
      "quiver restore sales/2024 3");
  restore_cmd->add_option("NAME", restore->name, "dataset name")->required();
  restore_cmd->add_option("VERSION", restore->version, "the version to make current")
      ->required()
      ->check(VersionNumber());
  restore_cmd->callback([&, restore] {
    action = [&, restore] { return RunRestore(session, *restore, out); };
  });

  auto compact = std::make_shared<CompactOptions>();
  auto* compact_cmd = AddCommand(
      app, "compact",
      "Rewrite a dataset's small parts (left by appends) into larger ones, as a new "
      "version with the same rows",
      "quiver compact sales/2024");
  compact_cmd->add_option("NAME", compact->name, "dataset name")->required();
  compact_cmd->callback([&, compact] {
    action = [&, compact] { return RunCompact(session, *compact, out); };
  });

  auto* login_cmd = AddCommand(
      app, "login",
      "Log in as --user and keep the token (in $XDG_CONFIG_HOME/quiver, mode "
      "0600) for later commands to this server",
      "QUIVER_PASSWORD=... quiver --server grpc+tls://db:8815 login --user ann");
  // --user is accepted after the subcommand too.
  login_cmd->add_option("--user", session.options().user, "user name");
  login_cmd->callback([&] { action = [&] { return RunLogin(session, out); }; });

  auto* logout_cmd =
      AddCommand(app, "logout",
                 "Forget (and ask the server to revoke) the token kept for "
                 "this server",
                 "quiver --server grpc+tls://db:8815 logout");
  logout_cmd->callback([&] { action = [&] { return RunLogout(session, out); }; });
}

}  // namespace

int QuiverMain(int argc, char** argv, const QuiverMainOptions& options) {
  // gRPC (inside Flight) logs TLS and connection failures on stderr; the CLI reports
  // them in its own one-line error. GRPC_VERBOSITY set by the user wins.
  setenv("GRPC_VERBOSITY", "ERROR", /*overwrite=*/0);
  CLI::App app{
      "quiver: the command-line client of quiverd, a Parquet store spoken to over Apache "
      "Arrow Flight",
      "quiver"};
  app.set_version_flag("--version", VersionText("quiver"));
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the command
  app.footer(
      "Exit codes: 0 ok, 1 error, 2 usage, 3 server unreachable, 4 not found, 5 not "
      "logged in or login refused, 6 permission denied, 7 bad input file, 8 timed out, "
      "130 interrupted.\n"
      "Run `quiver COMMAND --help` for a command's options and an example.");
  Session session(GlobalOptions{}, options.middleware);
  AddGlobalOptions(app, session.options());
  Action action;
  AddCommands(app, session, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    auto extra = app.remaining();
    if (app.get_subcommands().empty() && !extra.empty()) {
      std::cerr << "quiver: unknown command '" << extra.front()
                << "'; commands: ls, info, put, get, head, sql, rm, versions, "
                   "restore, compact, login, logout\n";
    } else {
      std::string help = "quiver --help";
      if (!app.get_subcommands().empty()) {
        help = "quiver " + app.get_subcommands().front()->get_name() + " --help";
      }
      std::cerr << "quiver: " << e.what() << "; see `" << help << "`\n";
    }
    return ToInt(ExitCode::kUsage);
  }
  arrow::Status status;
  try {
    status = session.Explain(action());
  } catch (const std::exception& e) {
    status = arrow::Status::UnknownError(e.what());
  }
  if (status.ok()) return ToInt(ExitCode::kOk);
  std::cout.flush();
  std::cerr << "quiver: " << DescribeError(status, session.ServerUrl()) << '\n';
  return ToInt(ClassifyStatus(status));
}

}  // namespace quiver::cli
