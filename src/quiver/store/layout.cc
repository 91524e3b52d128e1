#include "quiver/store/layout.h"

namespace quiver::store {
namespace {
constexpr std::string_view kTempPrefix = ".quiver-tmp-";
}

std::string Layout::DataPath(const DatasetName& name) const {
  return root_ + "/" + name.ToString();
}

std::string Layout::ParentDir(const DatasetName& name) const {
  std::string dir = root_;
  const auto& segments = name.segments();
  for (size_t i = 0; i + 1 < segments.size(); ++i) dir += "/" + segments[i];
  return dir;
}

std::string Layout::TempPath(const DatasetName& name, std::string_view unique) const {
  return ParentDir(name) + "/" + std::string(kTempPrefix) + std::string(unique);
}

bool Layout::IsTempFile(std::string_view base_name) {
  return base_name.starts_with(kTempPrefix);
}

arrow::Result<DatasetName> Layout::NameOf(std::string_view path) const {
  if (!path.starts_with(root_) || path.size() <= root_.size() + 1 ||
      path[root_.size()] != '/') {
    return arrow::Status::Invalid("path is outside the store");
  }
  return DatasetName::Parse(path.substr(root_.size() + 1));
}

}  // namespace quiver::store
