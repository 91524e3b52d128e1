#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "quiver/cli/token_cache_internal.h"

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
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return arrow::Status::OK();
  std::string dir = path.substr(0, slash);
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return arrow::Status::OK();
  if (errno == ENOENT) {
    ARROW_RETURN_NOT_OK(MakeParentDirectory(dir));
    if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return arrow::Status::OK();
  }
  return arrow::Status::IOError("cannot create ", dir, ": ", std::strerror(errno));
}

/// Write to a fresh 0600 file beside `path`, then rename over it.
arrow::Status Store(const std::string& path, const json& tokens) {
  ARROW_RETURN_NOT_OK(MakeParentDirectory(path));
  std::string temp = path + ".tmp-" + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return arrow::Status::IOError("cannot write ", temp, ": ", std::strerror(errno));
  }
  fchmod(fd, 0600);  // O_CREAT does not change the mode of a leftover file
  std::string text = tokens.dump(2) + "\n";
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      close(fd);
      unlink(temp.c_str());
      return arrow::Status::IOError("cannot write ", temp, ": ", std::strerror(error));
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    unlink(temp.c_str());
    return arrow::Status::IOError("cannot save ", path, ": ", std::strerror(error));
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
