#include <charconv>

#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/store/dataset_store.h"

namespace quiver::console {

httplib::Server::Handler Api(const RouteContext& context, bool state_change,
                             ApiHandler handler) {
  auto sessions = context.sessions;
  return [sessions, state_change, handler = std::move(handler)](
             const httplib::Request& request, httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    auto caller = sessions->Resolve(request);
    arrow::Status status = caller.status();
    if (status.ok() && state_change)
      status = sessions->CheckCsrf(request, caller->token());
    if (status.ok()) status = handler(request, response, *caller);
    if (!status.ok()) SendError(response, status);
  };
}

arrow::Result<store::DatasetName> NameParam(const httplib::Request& request,
                                            const char* key) {
  if (!request.has_param(key)) {
    return arrow::Status::Invalid("missing query parameter '", key, "'");
  }
  return store::DatasetName::Parse(request.get_param_value(key));
}

arrow::Result<std::optional<int64_t>> IntParam(const httplib::Request& request,
                                               const char* key, int64_t min,
                                               int64_t max) {
  if (!request.has_param(key)) return std::nullopt;
  std::string text = request.get_param_value(key);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return arrow::Status::Invalid("query parameter '", key, "' must be an integer from ",
                                  min, " to ", max);
  }
  return value;
}

arrow::Result<store::DatasetInfo> VersionOf(const store::DatasetStore& store,
                                            const store::DatasetName& name,
                                            std::optional<int64_t> version) {
  if (version) return store.GetVersion(name, *version);
  return store.Get(name);
}

arrow::Result<nlohmann::json> JsonBody(const httplib::Request& request) {
  std::string type = request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return arrow::Status::Invalid("the request body must be sent as application/json");
  }
  if (request.body.size() > kMaxBodyBytes) {
    return arrow::Status::Invalid("the request body is over ", kMaxBodyBytes, " bytes");
  }
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return arrow::Status::Invalid("the request body is not a JSON object");
  }
  return body;
}

arrow::Result<std::string> StringField(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) {
    return arrow::Status::Invalid("field '", key, "' must be a string");
  }
  return it->get<std::string>();
}

arrow::Result<int64_t> IntField(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) {
    return arrow::Status::Invalid("field '", key, "' must be an integer");
  }
  return it->get<int64_t>();
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace quiver::console
