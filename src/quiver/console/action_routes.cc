#include "quiver/console/dataset_json_internal.h"
#include "quiver/console/http_status_internal.h"
#include "quiver/console/routes_internal.h"
#include "quiver/store/dataset_store.h"

namespace quiver::console {
namespace {

using server::Operation;

/// POST /api/drop {"name"}: drop_dataset.
arrow::Status Drop(store::DatasetStore& store, const httplib::Request& request,
                   httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto body, JsonBody(request));
  ARROW_ASSIGN_OR_RAISE(auto text, StringField(body, "name"));
  ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(text));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kDropDataset, &name));
  ARROW_RETURN_NOT_OK(store.Drop(name));
  SendJson(response, Dump({{"name", name.ToString()}, {"dropped", true}}));
  return arrow::Status::OK();
}

/// POST /api/restore {"name", "version"}: restore_version (also of a dropped dataset).
arrow::Status Restore(store::DatasetStore& store, const httplib::Request& request,
                      httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto body, JsonBody(request));
  ARROW_ASSIGN_OR_RAISE(auto text, StringField(body, "name"));
  ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(text));
  ARROW_ASSIGN_OR_RAISE(auto version, IntField(body, "version"));
  if (version < 1) return arrow::Status::Invalid("field 'version' must be at least 1");
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kRestoreVersion, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, store.Restore(name, version));
  auto json = VersionJson(info);
  json["name"] = name.ToString();
  SendJson(response, Dump(json));
  return arrow::Status::OK();
}

/// POST /api/compact {"name"}: compact.
arrow::Status Compact(store::DatasetStore& store, const httplib::Request& request,
                      httplib::Response& response, const Caller& caller) {
  ARROW_ASSIGN_OR_RAISE(auto body, JsonBody(request));
  ARROW_ASSIGN_OR_RAISE(auto text, StringField(body, "name"));
  ARROW_ASSIGN_OR_RAISE(auto name, store::DatasetName::Parse(text));
  ARROW_RETURN_NOT_OK(caller.Authorize(Operation::kCompact, &name));
  ARROW_ASSIGN_OR_RAISE(auto info, store.Compact(name));
  auto json = VersionJson(info);
  json["name"] = name.ToString();
  SendJson(response, Dump(json));
  return arrow::Status::OK();
}

}  // namespace

void AddActionRoutes(httplib::Server& server, const RouteContext& context) {
  auto store = context.store;
  auto bind = [store](auto function) {
    return [store, function](const httplib::Request& request, httplib::Response& response,
                             const Caller& caller) {
      return function(*store, request, response, caller);
    };
  };
  server.Post("/api/drop", Api(context, /*state_change=*/true, bind(Drop)));
  server.Post("/api/restore", Api(context, /*state_change=*/true, bind(Restore)));
  server.Post("/api/compact", Api(context, /*state_change=*/true, bind(Compact)));
}

}  // namespace quiver::console
