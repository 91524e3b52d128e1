#pragma once

/// \file
/// Login tokens kept between runs: one per server, in the user's config directory
/// ($XDG_CONFIG_HOME/quiver/tokens.json, else ~/.config/quiver/tokens.json), a file
/// of mode 0600 in a directory of mode 0700, replaced atomically.

#include <optional>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/status.h>

namespace quiver::cli {

/// \brief A cached login: the header to send on every call.
struct CachedToken {
  std::string user;
  std::string header_name;   ///< "authorization"
  std::string header_value;  ///< "Bearer <token>"
  int64_t obtained_at = 0;   ///< Unix seconds
};

/// \brief The token file of the current user, from the environment.
/// \return Invalid when neither XDG_CONFIG_HOME nor HOME is set.
arrow::Result<std::string> DefaultTokenCachePath();

/// \brief The tokens in the file at `path`, keyed by server URL.
///
/// Not safe against concurrent writers (last one wins); readers always see a whole
/// file. A token is kept until `Remove` (logout, or the server refusing it).
class TokenCache {
 public:
  explicit TokenCache(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  /// \brief The token for `server`, or nullopt (also when the file does not exist).
  /// \return IOError when the file exists but cannot be read or parsed.
  arrow::Result<std::optional<CachedToken>> Get(std::string_view server) const;

  /// \brief Store (replace) the token for `server`.
  arrow::Status Put(std::string_view server, const CachedToken& token);

  /// \brief Forget the token for `server`.
  /// \return whether there was one.
  arrow::Result<bool> Remove(std::string_view server);

 private:
  std::string path_;
};

}  // namespace quiver::cli
