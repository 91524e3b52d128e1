#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "quiver/cli/token_cache_internal.h"
#include "quiver/common/atomic_file.h"
#include "quiver/common/path_name.h"

namespace quiver::cli {
namespace {

using nlohmann::json;

arrow::Result<json> Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return json::object();
    return arrow::Status::IOError("cannot read the token file ", path, ": ",
                                  std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  json tokens = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!tokens.is_object()) {
    return arrow::Status::IOError("the token file ", path,
                                  " is damaged; delete it and log in again");
  }
  return tokens;
}

arrow::Status MakeParentDirectory(const std::string& path) {
  const std::string dir(DirName(path));
  if (dir == "." || dir == "/") return arrow::Status::OK();
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return arrow::Status::OK();
  if (errno == ENOENT) {
    ARROW_RETURN_NOT_OK(MakeParentDirectory(dir));
    if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return arrow::Status::OK();
  }
  return arrow::Status::IOError("cannot create ", dir, ": ", std::strerror(errno));
}

/// Replace the file atomically and durably, mode 0600 (also over a leftover file of
/// another mode).
arrow::Status Store(const std::string& path, const json& tokens) {
  ARROW_RETURN_NOT_OK(MakeParentDirectory(path));
  auto status = WriteFileAtomically(path, tokens.dump(2) + "\n", 0600);
  if (!status.ok()) {
    return arrow::Status::IOError("cannot save the token file: ", status.message());
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<std::string> DefaultTokenCachePath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/quiver/tokens.json";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.config/quiver/tokens.json";
  }
  return arrow::Status::Invalid("neither XDG_CONFIG_HOME nor HOME is set");
}

arrow::Result<std::optional<CachedToken>> TokenCache::Get(std::string_view server) const {
  ARROW_ASSIGN_OR_RAISE(json tokens, Load(path_));
  auto entry = tokens.find(std::string(server));
  if (entry == tokens.end() || !entry->is_object()) return std::nullopt;
  CachedToken token;
  token.user = entry->value("user", "");
  token.header_name = entry->value("header", "authorization");
  token.header_value = entry->value("value", "");
  token.obtained_at = entry->value("obtained_at", int64_t{0});
  if (token.header_value.empty()) return std::nullopt;
  return token;
}

arrow::Status TokenCache::Put(std::string_view server, const CachedToken& token) {
  ARROW_ASSIGN_OR_RAISE(json tokens, Load(path_));
  tokens[std::string(server)] = {{"user", token.user},
                                 {"header", token.header_name},
                                 {"value", token.header_value},
                                 {"obtained_at", token.obtained_at}};
  return Store(path_, tokens);
}

arrow::Result<bool> TokenCache::Remove(std::string_view server) {
  ARROW_ASSIGN_OR_RAISE(json tokens, Load(path_));
  if (tokens.erase(std::string(server)) == 0) return false;
  ARROW_RETURN_NOT_OK(Store(path_, tokens));
  return true;
}

}  // namespace quiver::cli
