#include "quiver/cli/version_choice.h"

#include "quiver/cli/exit_codes.h"
#include "quiver/cli/timestamps.h"

namespace quiver::cli {

arrow::Result<client::VersionSelector> ToSelector(const VersionChoice& choice) {
  if (choice.version < 0) return arrow::Status::Invalid("--version must be 1 or more");
  if (choice.version > 0 && !choice.as_of.empty()) {
    return arrow::Status::Invalid("give --version or --as-of, not both");
  }
  if (choice.version > 0) return client::VersionSelector::Version(choice.version);
  if (!choice.as_of.empty()) {
    ARROW_ASSIGN_OR_RAISE(auto time, AsOfArgument(choice.as_of));
    return client::VersionSelector::AsOf(std::move(time));
  }
  return client::VersionSelector::Current();
}

std::string VersionsHint(std::string_view name) {
  return "`quiver versions " + std::string(name) + "` lists its versions";
}

arrow::Result<arrow::flight::FlightInfo> GetInfoAt(client::QuiverClient& client,
                                                   const std::string& name,
                                                   const VersionChoice& choice) {
  ARROW_ASSIGN_OR_RAISE(auto selector, ToSelector(choice));
  auto info = client.GetInfo(name, selector);
  if (!info.ok() && info.status().IsKeyError() && !selector.current()) {
    return WithHint(VersionsHint(name), info.status());
  }
  return info;
}

}  // namespace quiver::cli
