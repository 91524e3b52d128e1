#include "quiver/client/dataset_request.h"

#include <nlohmann/json.hpp>

#include "quiver/common/name_path.h"

namespace quiver::client {

namespace flight = arrow::flight;

flight::FlightDescriptor DescriptorFor(std::string_view name) {
  return flight::FlightDescriptor::Path(SplitNamePath(name));
}

flight::FlightDescriptor ReadDescriptor(std::string_view name, const VersionSelector& at,
                                        const ReadSelection& read) {
  if (at.current() && read.empty()) return DescriptorFor(name);
  nlohmann::json command = {{"dataset", std::string(name)}};
  if (at.version) command["version"] = *at.version;
  if (at.as_of) command["as_of"] = *at.as_of;
  if (read.columns) command["columns"] = *read.columns;
  if (read.filter) command["filter"] = *read.filter;
  if (read.limit) command["limit"] = *read.limit;
  if (read.endpoints) {
    if (*read.endpoints == 0) {
      command["endpoints"] = "auto";
    } else {
      command["endpoints"] = *read.endpoints;
    }
  }
  return flight::FlightDescriptor::Command(command.dump());
}

flight::FlightDescriptor PutDescriptor(std::string_view name, PutMode mode) {
  if (mode == PutMode::kOverwrite) return DescriptorFor(name);
  nlohmann::json command = {{"dataset", std::string(name)}, {"mode", "append"}};
  return flight::FlightDescriptor::Command(command.dump());
}

std::string DatasetActionBody(std::string_view name, std::optional<int64_t> version) {
  nlohmann::json body = {{"dataset", std::string(name)}};
  if (version) body["version"] = *version;
  return body.dump();
}

std::string NameOf(const flight::FlightDescriptor& descriptor) {
  if (descriptor.type == flight::FlightDescriptor::PATH) {
    return JoinNamePath(descriptor.path);
  }
  auto command =
      nlohmann::json::parse(descriptor.cmd, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (command.is_object()) {
    auto it = command.find("dataset");
    if (it != command.end() && it->is_string()) return it->get<std::string>();
  }
  return descriptor.cmd;
}

}  // namespace quiver::client
