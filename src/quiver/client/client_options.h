#pragma once

/// \file
/// How a quiver client reaches a server: URL, TLS material, timeouts, headers and
/// Flight client middleware.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/flight/client_middleware.h>
#include <arrow/flight/types.h>
#include <arrow/result.h>

namespace quiver::client {

/// \brief The server a client talks to when none is given: the local quiverd.
inline constexpr std::string_view kDefaultServer = "grpc://127.0.0.1:8815";

/// \brief Options to connect a QuiverClient. Plain data; copyable.
struct ClientOptions {
  /// Server URL: grpc://HOST:PORT, grpc+tls://HOST:PORT, grpc+unix://PATH, or a bare
  /// HOST:PORT (taken as grpc://, or grpc+tls:// when tls_root_certs is set).
  std::string server = std::string(kDefaultServer);
  /// PEM root certificates to trust for a grpc+tls server; empty = the system roots.
  std::string tls_root_certs;
  /// PEM client certificate chain and private key for mutual TLS; both or neither.
  std::string cert_chain;
  std::string private_key;
  /// Deadline of every call (a whole transfer included); nullopt = no deadline.
  std::optional<double> timeout_seconds;
  /// Headers added to every call, e.g. {"authorization", "Bearer <token>"}. Names are
  /// sent in lower case (gRPC refuses capitals).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Client middleware (e.g. trace-context injection), applied to every call.
  std::vector<std::shared_ptr<arrow::flight::ClientMiddlewareFactory>> middleware;

  static ClientOptions Defaults() { return ClientOptions{}; }
};

/// \brief Turn a server as users write it into a Flight Location.
///
/// A bare "HOST:PORT" gets the scheme grpc:// (or grpc+tls:// when `tls` is true).
/// \return Invalid naming the text and the expected forms.
arrow::Result<arrow::flight::Location> ParseServerLocation(std::string_view server,
                                                           bool tls);

}  // namespace quiver::client
