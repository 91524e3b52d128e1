#pragma once

#include <span>
#include <string_view>

namespace quiver::console {

/// \brief One file of the front end, built into the binary from web/console/.
struct Asset {
  /// URL path, e.g. "/app.js".
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

/// \brief Every file of the front end (generated at build time by esbuild's bundle and
/// cmake/EmbedAssets.cmake: the console loads nothing from elsewhere).
std::span<const Asset> ConsoleAssets();

}  // namespace quiver::console
