#pragma once

#include <string>
#include <string_view>

#include <arrow/result.h>

namespace quiver {

/// \brief A network endpoint as given on a command line.
struct HostPort {
  std::string host;
  int port = 0;

  /// \brief Whether host is a loopback address or "localhost".
  bool IsLoopback() const;
};

/// \brief Parse "HOST:PORT" or "[IPv6]:PORT"; port 0 means "any free port".
/// \return Invalid with the expected form.
arrow::Result<HostPort> ParseHostPort(std::string_view text);

}  // namespace quiver
