#include "quiver/server/serve.h"

#include <arrow/flight/server_auth.h>

#include "quiver/server/access_log.h"

namespace quiver::server {

void InstallLimits(ServeOptions* options) {
  const LimitOptions& limits = options->limits;
  if (options->extensions.limits == nullptr &&
      (limits.max_upload_bytes > 0 || limits.max_streams > 0 ||
       limits.max_streams_per_user > 0 || limits.stream_idle_timeout.count() > 0)) {
    options->extensions.limits = StreamLimits::Make(limits);
  }
}

arrow::Result<std::unique_ptr<QuiverService>> StartService(
    std::shared_ptr<store::DatasetStore> store, ServeOptions options) {
  InstallLimits(&options);
  auto stream_limits = options.extensions.limits;
  auto service = std::make_unique<QuiverService>(std::move(store), options.advertise,
                                                 std::move(options.extensions));
  arrow::flight::FlightServerOptions flight_options(options.listen);
  flight_options.middleware.emplace_back(
      kAccessLogMiddlewareKey, MakeAccessLogMiddlewareFactory(options.access_log));
  for (auto& entry : options.middleware) flight_options.middleware.push_back(entry);
  flight_options.tls_certificates = options.tls_certificates;
  if (!options.tls_client_ca.empty()) {
    flight_options.verify_client = true;
    flight_options.root_certificates = options.tls_client_ca;
  }
  if (options.auth_handler) flight_options.auth_handler = options.auth_handler;
  ARROW_RETURN_NOT_OK(service->Init(flight_options));
  if (stream_limits) stream_limits->set_local_port(service->port());
  return service;
}

}  // namespace quiver::server
