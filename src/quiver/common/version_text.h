#pragma once

#include <string>
#include <string_view>

#include "quiver/common/version.h"

namespace quiver {

/// \brief What `--version` prints: "<program> <quiver version> (Arrow <version>)",
/// where the Arrow version is the one of the libarrow the process runs on
/// (arrow::GetBuildInfo()), not the headers it was compiled against.
std::string VersionText(std::string_view program);

}  // namespace quiver
