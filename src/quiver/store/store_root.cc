#include "quiver/store/store_root.h"

#include <algorithm>
#include <cctype>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>
#include <arrow/util/uri.h>

#include "quiver/common/redacted_uri.h"
#include "quiver/common/unique_name.h"
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

}  // namespace

bool IsStoreUri(std::string_view root) {
  const auto colon = root.find("://");
  return colon != std::string_view::npos &&
         arrow::util::IsValidUriScheme(root.substr(0, colon));
}

std::string RedactStoreRoot(std::string_view root) {
  if (!IsStoreUri(root)) return std::string(root);
  return RedactUri(root, IsSecretName);
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
  const std::string probe = options.root + "/" + UniqueName(".quiver-probe-");
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
