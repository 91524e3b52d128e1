#include "quiver/store/store_root.h"

#include <algorithm>
#include <cctype>
#include <random>

#include <fmt/format.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>

#include "quiver/store/fs/durability.h"
#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/fs/exclusive_creator_factory.h"
#include "quiver/store/fs/metered_filesystem.h"

namespace quiver::store {
namespace {

bool IsSecretName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word :
       {"secret", "key", "token", "password", "credential", "signature"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string ProbeName() {
  std::random_device random;
  std::mt19937_64 rng{(static_cast<uint64_t>(random()) << 32) ^ random()};
  return fmt::format(".quiver-probe-{:016x}", rng());
}

}  // namespace

bool IsStoreUri(std::string_view root) {
  auto colon = root.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  return std::all_of(root.begin(), root.begin() + colon, [](unsigned char c) {
    return std::isalnum(c) || c == '+' || c == '-' || c == '.';
  });
}

std::string RedactStoreRoot(std::string_view root) {
  if (!IsStoreUri(root)) return std::string(root);
  const size_t authority = root.find("://") + 3;
  std::string out(root.substr(0, authority));
  std::string_view rest = root.substr(authority);
  // Userinfo: everything up to the last '@' before the path.
  size_t path_start = rest.find_first_of("/?#");
  std::string_view host_part = rest.substr(0, path_start);
  if (auto at = host_part.rfind('@'); at != std::string_view::npos) {
    out += "***@";
    rest.remove_prefix(at + 1);
  }
  size_t query = rest.find('?');
  out += std::string(rest.substr(0, query));
  if (query == std::string_view::npos) return out;
  std::string_view params = rest.substr(query + 1);
  std::string_view fragment;
  if (auto hash = params.find('#'); hash != std::string_view::npos) {
    fragment = params.substr(hash);
    params = params.substr(0, hash);
  }
  out += '?';
  bool first = true;
  while (true) {
    size_t amp = params.find('&');
    std::string_view item = params.substr(0, amp);
    size_t eq = item.find('=');
    std::string_view key = item.substr(0, eq);
    if (!first) out += '&';
    first = false;
    if (eq != std::string_view::npos && IsSecretName(key)) {
      out += std::string(key) + "=***";
    } else {
      out += std::string(item);
    }
    if (amp == std::string_view::npos) break;
    params.remove_prefix(amp + 1);
  }
  out += std::string(fragment);
  return out;
}

arrow::Result<StoreOptions> MakeStoreOptionsForRoot(const std::string& root) {
  if (!IsStoreUri(root)) return MakeLocalStoreOptions(root);
  const std::string shown = RedactStoreRoot(root);
  if (root.starts_with("s3://")) ARROW_RETURN_NOT_OK(arrow::fs::EnsureS3Initialized());
  std::string path;
  auto fs = arrow::fs::FileSystemFromUri(root, &path);
  if (!fs.ok()) {
    return arrow::Status::Invalid("cannot use --root ", shown, ": ",
                                  fs.status().message());
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty()) {
    return arrow::Status::Invalid("cannot use --root ", shown,
                                  ": name a bucket (s3://bucket/prefix)");
  }
  StoreOptions options = StoreOptions::Defaults();
  // The creator is made from the file system itself (its endpoint, credentials...);
  // the metered wrapper only observes.
  auto creator = MakeExclusiveCreator(**fs);
  if (!creator.ok()) {
    return arrow::Status::Invalid("cannot use --root ", shown, ": ",
                                  creator.status().message());
  }
  auto metered = std::make_shared<MeteredFileSystem>(std::move(*fs));
  options.exclusive_creator = MeterExclusiveCreator(std::move(*creator), *metered);
  options.filesystem = metered;
  options.metered = std::move(metered);
  options.root = std::move(path);
  options.shared = true;
  return options;
}

arrow::Status CheckStoreRoot(const StoreOptions& options) {
  if (!options.filesystem || LocalPathOf(*options.filesystem, options.root)) {
    return arrow::Status::OK();
  }
  if (!options.exclusive_creator) {
    return arrow::Status::Invalid("object store root without an exclusive creator");
  }
  // The probe is a conditional PUT by our own client: its errors name the cause
  // (missing bucket, refused credentials, unreachable endpoint) in one line.
  const std::string probe = options.root + "/" + ProbeName();
  auto st = CheckExclusiveCreate(*options.exclusive_creator, probe);
  if (!st.ok()) return st;
  // Deleting and listing go through Arrow's client: check it agrees.
  st = options.filesystem->DeleteFile(probe);
  if (!st.ok()) {
    return arrow::Status::IOError("cannot delete objects under the root (", st.message(),
                                  ")");
  }
  auto listed = options.filesystem->GetFileInfo(options.root);
  if (!listed.ok()) {
    return arrow::Status::IOError("cannot read the root (", listed.status().message(),
                                  ")");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::store
