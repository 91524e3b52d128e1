#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include <arrow/status.h>

#include "quiver/auth/password.h"

namespace CLI {
class App;
}

namespace quiver::app {

/// \brief `quiverd user add|passwd|remove|list`, as parsed.
struct UserCommandFlags {
  CLI::App* command = nullptr;
  CLI::App* add = nullptr;
  CLI::App* passwd = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* list = nullptr;
  std::string users;
  std::string name;
  std::string role = "reader";
  std::vector<std::string> grants;
};

/// \brief Declare the `user` subcommand and its own subcommands on `app`.
void AddUserCommand(CLI::App& app, UserCommandFlags& flags);

/// \brief Whether the command line chose `quiverd user ...`.
bool UserCommandSelected(const UserCommandFlags& flags);

/// \brief Run the chosen user subcommand on the users file.
///
/// Passwords are read from `in`: with no echo after a prompt on `err` when `in` is a
/// terminal (asked twice), else one line. Never from the command line. The file is
/// locked (flock on FILE.lock) while it is read, changed and atomically rewritten.
/// `list` prints names, roles and grants to `out`, never hashes. A running quiverd
/// picks the change up by itself (auth::UserDirectory).
arrow::Status RunUserCommand(const UserCommandFlags& flags, std::istream& in,
                             std::ostream& out, std::ostream& err,
                             const auth::PasswordHashOptions& hash_options =
                                 auth::PasswordHashOptions::Defaults());

}  // namespace quiver::app
