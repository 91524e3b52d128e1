#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include "quiver/app/user_command_internal.h"
#include "quiver/auth/users_file.h"

namespace quiver::app {
namespace {

/// Holds an exclusive flock on FILE.lock for the lifetime of the object.
class FileLock {
 public:
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  arrow::Status Lock(const std::string& path) {
    fd_ = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      return arrow::Status::IOError("cannot lock '", path, ".lock'");
    }
    return arrow::Status::OK();
  }

 private:
  int fd_ = -1;
};

bool IsTerminal(std::istream& in) { return &in == &std::cin && ::isatty(STDIN_FILENO); }

/// Whether a line typed on the terminal is echoed (passwords are not).
enum class Echo { kShown, kHidden };

std::string ReadLine(std::istream& in, Echo echo) {
  termios saved{};
  bool hidden = echo == Echo::kHidden && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hidden) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(in, line);
  if (hidden) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

arrow::Result<std::string> ReadNewPassword(const std::string& user, std::istream& in,
                                           std::ostream& err) {
  std::string password;
  if (IsTerminal(in)) {
    err << "New password for " << user << ": " << std::flush;
    password = ReadLine(in, Echo::kHidden);
    err << "\nRepeat it: " << std::flush;
    std::string again = ReadLine(in, Echo::kHidden);
    err << "\n";
    if (again != password) return arrow::Status::Invalid("the passwords differ");
  } else {
    password = ReadLine(in, Echo::kShown);
  }
  ARROW_RETURN_NOT_OK(auth::ValidateNewPassword(password));
  return password;
}

std::vector<auth::UserRecord>::iterator FindUser(std::vector<auth::UserRecord>& users,
                                                 const std::string& name) {
  return std::find_if(users.begin(), users.end(),
                      [&](const auth::UserRecord& u) { return u.name == name; });
}

}  // namespace

void AddUserCommand(CLI::App& app, UserCommandFlags& flags) {
  flags.command = app.add_subcommand("user", "Manage the users file");
  flags.command->require_subcommand(1);
  auto users_option = [&](CLI::App* command) {
    command->add_option("--users", flags.users, "Users file")->required();
  };
  flags.add = flags.command->add_subcommand(
      "add", "Add a user; the password is read from a prompt or stdin");
  flags.add->add_option("name", flags.name, "User name")->required();
  flags.add->add_option("--role", flags.role, "reader, writer or admin")
      ->capture_default_str();
  flags.add->add_option("--grant", flags.grants,
                        "Limit the user to datasets under this name prefix (repeatable)");
  users_option(flags.add);
  flags.passwd = flags.command->add_subcommand("passwd", "Change a user's password");
  flags.passwd->add_option("name", flags.name, "User name")->required();
  users_option(flags.passwd);
  flags.remove = flags.command->add_subcommand("remove", "Remove a user");
  flags.remove->add_option("name", flags.name, "User name")->required();
  users_option(flags.remove);
  flags.list = flags.command->add_subcommand("list", "List users, roles and grants");
  users_option(flags.list);
}

bool UserCommandSelected(const UserCommandFlags& flags) {
  return flags.command != nullptr && flags.command->parsed();
}

arrow::Status RunUserCommand(const UserCommandFlags& flags, std::istream& in,
                             std::ostream& out, std::ostream& err,
                             const auth::PasswordHashOptions& hash_options) {
  FileLock lock;
  ARROW_RETURN_NOT_OK(lock.Lock(flags.users));
  const bool adding = flags.add != nullptr && flags.add->parsed();
  ARROW_ASSIGN_OR_RAISE(auto users, auth::ReadUsersFile(flags.users, adding));

  if (flags.list != nullptr && flags.list->parsed()) {
    for (const auto& user : users) {
      out << user.name << "\t" << auth::RoleName(user.role);
      for (size_t i = 0; i < user.grants.size(); ++i) {
        out << (i == 0 ? "\t" : ",") << user.grants[i].ToString();
      }
      out << "\n";
    }
    return arrow::Status::OK();
  }

  ARROW_RETURN_NOT_OK(auth::ValidateUserName(flags.name));
  auto it = FindUser(users, flags.name);
  if (adding) {
    if (it != users.end()) {
      return arrow::Status::AlreadyExists("user '", flags.name,
                                          "' exists; use 'quiverd user passwd'");
    }
    auth::UserRecord user;
    user.name = flags.name;
    ARROW_ASSIGN_OR_RAISE(user.role, auth::ParseRole(flags.role));
    for (const auto& grant : flags.grants) {
      ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(grant));
      user.grants.push_back(std::move(name));
    }
    ARROW_ASSIGN_OR_RAISE(auto password, ReadNewPassword(user.name, in, err));
    ARROW_ASSIGN_OR_RAISE(user.password_hash, auth::HashPassword(password, hash_options));
    users.push_back(std::move(user));
  } else {
    if (it == users.end()) return arrow::Status::KeyError("no user '", flags.name, "'");
    if (flags.passwd != nullptr && flags.passwd->parsed()) {
      ARROW_ASSIGN_OR_RAISE(auto password, ReadNewPassword(it->name, in, err));
      ARROW_ASSIGN_OR_RAISE(it->password_hash,
                            auth::HashPassword(password, hash_options));
    } else {
      users.erase(it);
    }
  }
  ARROW_RETURN_NOT_OK(auth::WriteUsersFile(flags.users, users));
  err << "users file updated; a running quiverd applies it within a second\n";
  return arrow::Status::OK();
}

}  // namespace quiver::app
