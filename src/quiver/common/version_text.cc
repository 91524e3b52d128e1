#include "quiver/common/version_text.h"

#include <arrow/config.h>

namespace quiver {

std::string VersionText(std::string_view program) {
  const auto& arrow = arrow::GetBuildInfo();
  return std::string(program) + " " + kVersion + " (Arrow " + arrow.version_string + ")";
}

}  // namespace quiver
