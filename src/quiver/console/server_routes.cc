#include "quiver/common/version_text.h"
#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/store/dataset_store.h"
#include "quiver/telemetry/metrics_registry.h"
#include "quiver/telemetry/readiness_probe.h"

namespace quiver::console {

void AddServerRoutes(httplib::Server& server, const RouteContext& context) {
  auto store = context.store;
  auto readiness = context.readiness;
  auto registry = context.registry;
  // GET /api/health: health_check's facts and readiness (/readyz's check).
  server.Get("/api/health",
             Api(context, false,
                 [store, readiness](const httplib::Request&, httplib::Response& response,
                                    const Caller& caller) {
                   ARROW_RETURN_NOT_OK(
                       caller.Authorize(server::Operation::kHealthCheck, nullptr));
                   arrow::Status ready =
                       readiness ? readiness->Check() : arrow::Status::OK();
                   nlohmann::json json = {{"healthy", true},
                                          {"ready", ready.ok()},
                                          {"version", VersionText("quiverd")},
                                          {"datasets", store->dataset_count()},
                                          {"stored_bytes", store->total_bytes()}};
                   if (!ready.ok()) json["not_ready"] = ready.message();
                   SendJson(response, Dump(json));
                   return arrow::Status::OK();
                 }));
  // GET /api/metrics: the registry's families as Prometheus text (the /metrics page):
  // the console draws what the server keeps, it keeps nothing of its own.
  server.Get("/api/metrics",
             Api(context, false,
                 [registry](const httplib::Request&, httplib::Response& response,
                            const Caller& caller) {
                   ARROW_RETURN_NOT_OK(
                       caller.Authorize(server::Operation::kHealthCheck, nullptr));
                   response.set_content(registry ? registry->RenderText() : std::string(),
                                        "text/plain; version=0.0.4; charset=utf-8");
                   return arrow::Status::OK();
                 }));
}

}  // namespace quiver::console
