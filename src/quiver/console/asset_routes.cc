#include <string>

#include "quiver/console/console_assets_internal.h"
#include "quiver/console/routes_internal.h"

namespace quiver::console {

void AddAssetRoutes(httplib::Server& server) {
  for (const Asset& asset : ConsoleAssets()) {
    auto handler = [&asset](const httplib::Request&, httplib::Response& response) {
      response.set_content(asset.body.data(), asset.body.size(),
                           std::string(asset.content_type).c_str());
      response.set_header("Cache-Control", "no-cache");
    };
    server.Get(std::string(asset.path), handler);
    if (asset.path == "/index.html") server.Get("/", handler);
  }
}

}  // namespace quiver::console
