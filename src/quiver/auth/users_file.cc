#include "quiver/auth/users_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <arrow/status.h>

#include "quiver/common/atomic_file.h"
#include "quiver/common/strict_json.h"

namespace quiver::auth {
namespace {

using nlohmann::json;

arrow::Status Errno(const std::string& what, const std::string& path) {
  return arrow::Status::IOError(what, " '", path, "': ", std::strerror(errno));
}

/// Largest users file read, in bytes: the bound manifests have too.
constexpr size_t kMaxUsersFileBytes = size_t{64} << 20;

arrow::Result<UserRecord> ParseUser(const StrictJson& entry) {
  UserRecord user;
  ARROW_ASSIGN_OR_RAISE(user.name, entry.RequiredString("name"));
  ARROW_ASSIGN_OR_RAISE(auto role, entry.RequiredString("role"));
  ARROW_ASSIGN_OR_RAISE(user.password_hash, entry.RequiredString("password_hash"));
  ARROW_RETURN_NOT_OK(ValidateUserName(user.name));
  ARROW_ASSIGN_OR_RAISE(user.role, ParseRole(role));
  if (!user.password_hash.starts_with("$argon2id$")) {
    return arrow::Status::Invalid("user '", user.name,
                                  "' has a password hash that is not argon2id");
  }
  if (entry.has("grants")) {
    const json& grants = entry.json().at("grants");
    if (!grants.is_array()) {
      return arrow::Status::Invalid("grants of user '", user.name, "' must be a list");
    }
    for (const auto& grant : grants) {
      if (!grant.is_string()) {
        return arrow::Status::Invalid("grants of user '", user.name,
                                      "' must be dataset names");
      }
      ARROW_ASSIGN_OR_RAISE(auto name,
                            store::DatasetName::Parse(grant.get<std::string>()));
      user.grants.push_back(std::move(name));
    }
  }
  return user;
}

}  // namespace

arrow::Status CheckPrivateFile(const std::string& path, const std::string& what) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Errno("cannot stat " + what, path);
  if ((st.st_mode & 077) != 0) {
    return arrow::Status::Invalid(
        what, " '", path, "' is accessible by group or others (mode ",
        fmt::format("{:04o}", st.st_mode & 07777), "); it holds secrets: run 'chmod 600 ",
        path, "' and start again");
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<UserRecord>> ReadUsersFile(const std::string& path,
                                                     bool missing_ok) {
  if (missing_ok && ::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
    return std::vector<UserRecord>{};
  }
  ARROW_RETURN_NOT_OK(CheckPrivateFile(path, "users file"));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errno("cannot open users file", path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = StrictJson::Parse(text.str(), "the users file", {}, kMaxUsersFileBytes);
  if (!doc.ok())
    return arrow::Status::Invalid("users file '", path, "': ", doc.status().message());
  auto entries = doc->ObjectList("users", kMaxUsersFileBytes, "a user");
  if (!entries.ok() || !entries->has_value()) {
    return arrow::Status::Invalid(
        "users file '", path, "' is not a JSON object with a \"users\" list of objects");
  }
  // Read as JSON: a float or a huge number is never converted to int.
  if (!doc->RequiredInteger("version", 1, 1).ok()) {
    return arrow::Status::Invalid("users file '", path, "' has an unknown version");
  }
  std::vector<UserRecord> users;
  std::set<std::string> seen;
  for (const auto& entry : **entries) {
    auto user = ParseUser(entry);
    if (!user.ok()) {
      return arrow::Status::Invalid("users file '", path, "': ", user.status().message());
    }
    if (!seen.insert(user->name).second) {
      return arrow::Status::Invalid("users file '", path, "' lists user '", user->name,
                                    "' twice");
    }
    users.push_back(std::move(*user));
  }
  return users;
}

arrow::Status WriteUsersFile(const std::string& path,
                             const std::vector<UserRecord>& users) {
  json list = json::array();
  for (const auto& user : users) {
    json grants = json::array();
    for (const auto& grant : user.grants) grants.push_back(grant.ToString());
    list.push_back({{"name", user.name},
                    {"role", std::string(RoleName(user.role))},
                    {"password_hash", user.password_hash},
                    {"grants", grants}});
  }
  std::string text = json{{"version", 1}, {"users", list}}.dump(2) + "\n";
  return WriteFileAtomically(path, text, 0600);
}

}  // namespace quiver::auth
