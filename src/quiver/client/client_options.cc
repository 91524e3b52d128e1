#include "quiver/client/client_options.h"

namespace quiver::client {

arrow::Result<arrow::flight::Location> ParseServerLocation(std::string_view server,
                                                           bool tls) {
  if (server.empty()) {
    return arrow::Status::Invalid("empty server address; expected grpc://HOST:PORT");
  }
  std::string url(server);
  if (url.find("://") == std::string::npos) {
    url = std::string(tls ? "grpc+tls://" : "grpc://") + url;
  }
  auto location = arrow::flight::Location::Parse(url);
  if (!location.ok()) {
    return arrow::Status::Invalid("invalid server address '", server,
                                  "'; expected grpc://HOST:PORT, grpc+tls://HOST:PORT "
                                  "or HOST:PORT");
  }
  return location;
}

}  // namespace quiver::client
