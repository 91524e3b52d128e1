#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <arrow/flight/server.h>
#include <arrow/result.h>

#include "quiver/server/access_log.h"
#include "quiver/server/quiver_service.h"

namespace quiver::server {

/// \brief How to start a QuiverService.
struct ServeOptions {
  /// Where to listen, e.g. grpc://127.0.0.1:8815 or grpc+tls://0.0.0.0:8815 (port 0
  /// picks a free port).
  arrow::flight::Location listen;
  /// Locations put in FlightInfo endpoints; empty means "this same service".
  std::vector<arrow::flight::Location> advertise;
  /// TLS certificate chains and keys (PEM); required for grpc+tls.
  std::vector<arrow::flight::CertKeyPair> tls_certificates;
  /// When not empty, clients must present a certificate signed by this CA (PEM).
  std::string tls_client_ca;
  /// Middleware beyond the access log (auth, tracing...), run in this order.
  std::vector<
      std::pair<std::string, std::shared_ptr<arrow::flight::ServerMiddlewareFactory>>>
      middleware;
  /// Access-log line format.
  AccessLogOptions access_log;
  /// Handshake handler (the cookbook's clients call Handshake to log in).
  std::shared_ptr<arrow::flight::ServerAuthHandler> auth_handler;
  /// Access control and extra actions handed to the QuiverService (none: open).
  ServiceExtensions extensions;
  /// Stream limits; StartService installs them in `extensions` when any is set.
  LimitOptions limits;
};

/// \brief Make the StreamLimits of `options->limits` into `options->extensions`, unless
/// they are there already or no limit is set (StartService does it; call it first to
/// share one set of counts between the servers started from the same options).
void InstallLimits(ServeOptions* options);

/// \brief Start serving `store` (returns once the server listens; see port()).
/// The access-log middleware is always installed first.
arrow::Result<std::unique_ptr<QuiverService>> StartService(
    std::shared_ptr<store::DatasetStore> store, ServeOptions options);

}  // namespace quiver::server
