#include "quiver/store/fs/exclusive_creator_factory.h"

#include <string>
#include <utility>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>

#include "quiver/store/fs/durability.h"
#include "quiver/store/fs/s3_exclusive_creator_internal.h"

namespace quiver::store {

arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeExclusiveCreator(
    const arrow::fs::FileSystem& fs) {
  if (fs.type_name() == "subtree") {
    const auto& subtree = static_cast<const arrow::fs::SubTreeFileSystem&>(fs);
    ARROW_ASSIGN_OR_RAISE(auto base, MakeExclusiveCreator(*subtree.base_fs()));
    std::string prefix = subtree.base_path();
    if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
    return MakePrefixedExclusiveCreator(std::move(prefix), std::move(base));
  }
  // Local files, decided by looking through wrappers, never by type_name().
  if (LocalPathOf(fs, "/")) {
    // Kept (when shared) so that wrappers hear of each creation.
    return MakeLocalExclusiveCreator(fs.weak_from_this().lock());
  }
  if (fs.type_name() == "s3") {
    const auto& s3 = static_cast<const arrow::fs::S3FileSystem&>(fs);
    ARROW_ASSIGN_OR_RAISE(auto options, S3ExclusiveCreatorOptions::FromFileSystem(s3));
    return MakeS3ExclusiveCreator(std::move(options));
  }
  return arrow::Status::NotImplemented("no exclusive create on '", fs.type_name(),
                                       "' file systems");
}

}  // namespace quiver::store
