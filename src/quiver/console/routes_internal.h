#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arrow/result.h>

#include "quiver/console/caller_internal.h"
#include "quiver/store/model/dataset_info.h"
#include "quiver/store/model/dataset_name.h"

namespace quiver::store {
class DatasetStore;
}
namespace quiver::telemetry {
class MetricsRegistry;
class ReadinessProbe;
}  // namespace quiver::telemetry

namespace quiver::console {

/// \brief What the routes share. Outlives the HTTP server that calls them.
struct RouteContext {
  std::shared_ptr<store::DatasetStore> store;
  std::shared_ptr<const telemetry::MetricsRegistry> registry;
  std::shared_ptr<telemetry::ReadinessProbe> readiness;
  std::shared_ptr<Sessions> sessions;
};

/// Largest preview, in rows.
inline constexpr int64_t kMaxPreviewRows = 1000;
/// Largest request body (login, actions).
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

/// \brief A handler of an authenticated request. What it returns that is not OK is
/// answered as an error (see SendError).
using ApiHandler = std::function<arrow::Status(const httplib::Request&,
                                               httplib::Response&, const Caller&)>;

/// \brief Wrap `handler`: resolve the caller from the session cookie (401 without a
/// valid one when authentication is on), check the CSRF header when `state_change`,
/// mark the answer not cacheable, and answer errors as JSON.
httplib::Server::Handler Api(const RouteContext& context, bool state_change,
                             ApiHandler handler);

/// \brief The dataset named by query parameter `key`. \return Invalid when missing or
/// not a valid name.
arrow::Result<store::DatasetName> NameParam(const httplib::Request& request,
                                            const char* key = "name");

/// \brief The integer query parameter `key` in [min, max], or nullopt when absent.
/// \return Invalid naming the parameter and the range otherwise.
arrow::Result<std::optional<int64_t>> IntParam(const httplib::Request& request,
                                               const char* key, int64_t min, int64_t max);

/// \brief The version `version` of `name` (query parameter `version`: absent = the
/// current one). \return KeyError for an unknown dataset or version.
arrow::Result<store::DatasetInfo> VersionOf(const store::DatasetStore& store,
                                            const store::DatasetName& name,
                                            std::optional<int64_t> version);

/// \brief The JSON object of a POST body. \return Invalid unless the body is sent as
/// application/json, is at most kMaxBodyBytes and is one JSON object.
arrow::Result<nlohmann::json> JsonBody(const httplib::Request& request);

/// \brief Member `key` of `body` as a string / integer. \return Invalid when missing
/// or of another type.
arrow::Result<std::string> StringField(const nlohmann::json& body, const char* key);
arrow::Result<int64_t> IntField(const nlohmann::json& body, const char* key);

/// \brief `json` serialized; strings that are not valid UTF-8 are repaired, never
/// thrown about.
std::string Dump(const nlohmann::json& json);

/// \brief Register each group of routes on `server`.
void AddSessionRoutes(httplib::Server& server, const RouteContext& context);
void AddDatasetRoutes(httplib::Server& server, const RouteContext& context);
void AddDownloadRoutes(httplib::Server& server, const RouteContext& context);
void AddActionRoutes(httplib::Server& server, const RouteContext& context);
void AddServerRoutes(httplib::Server& server, const RouteContext& context);
void AddAssetRoutes(httplib::Server& server);

}  // namespace quiver::console
