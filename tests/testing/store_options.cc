#include "testing/store_options.h"

namespace quiver::testing {

store::StoreOptions TestStoreOptions(const std::string& dir) {
  auto options = store::MakeLocalStoreOptions(dir).ValueOrDie();
  options.maintenance.background = false;
  return options;
}

store::RetentionOptions NoRetention() {
  store::RetentionOptions retention;
  retention.keep_versions = 1;
  retention.keep_for = std::chrono::seconds(0);
  retention.grace = std::chrono::seconds(0);
  return retention;
}

}  // namespace quiver::testing
