#include "quiver/auth/user_record.h"

#include <algorithm>

namespace quiver::auth {

bool UserRecord::Covers(const store::DatasetName& dataset) const {
  return GrantsCover(grants, dataset);
}

bool GrantsCover(const std::vector<store::DatasetName>& grants,
                 const store::DatasetName& dataset) {
  if (grants.empty()) return true;
  const auto& segments = dataset.segments();
  return std::any_of(grants.begin(), grants.end(), [&](const store::DatasetName& grant) {
    const auto& prefix = grant.segments();
    return prefix.size() <= segments.size() &&
           std::equal(prefix.begin(), prefix.end(), segments.begin());
  });
}

arrow::Status ValidateUserName(std::string_view name) {
  constexpr size_t kMaxBytes = 64;
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '@' || c == '-';
  };
  if (name.empty() || name.size() > kMaxBytes ||
      !std::all_of(name.begin(), name.end(), allowed)) {
    return arrow::Status::Invalid(
        "a user name has 1 to 64 characters among letters, digits and . _ @ -");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::auth
