#include "quiver/common/name_path.h"

namespace quiver {

std::vector<std::string> SplitNamePath(std::string_view text, size_t max_segments) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    segments.emplace_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos || segments.size() > max_segments) break;
    start = slash + 1;
  }
  return segments;
}

std::string JoinNamePath(const std::vector<std::string>& segments) {
  std::string joined;
  for (const auto& segment : segments) {
    if (!joined.empty()) joined.push_back('/');
    joined += segment;
  }
  return joined;
}

}  // namespace quiver
