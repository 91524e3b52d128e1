#include "quiver/common/host_port.h"

#include <charconv>

#include <arrow/status.h>

namespace quiver {

bool HostPort::IsLoopback() const {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

arrow::Result<HostPort> ParseHostPort(std::string_view text) {
  auto invalid = [&] {
    return arrow::Status::Invalid("expected HOST:PORT (or [IPv6]:PORT), got '", text,
                                  "'");
  };
  HostPort out;
  std::string_view port_text;
  if (text.starts_with("[")) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) return invalid();
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return invalid();
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (out.host.find(':') != std::string::npos) return invalid();
  }
  if (out.host.empty() || port_text.empty()) return invalid();
  auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || out.port < 0 ||
      out.port > 65535) {
    return invalid();
  }
  return out;
}

}  // namespace quiver
