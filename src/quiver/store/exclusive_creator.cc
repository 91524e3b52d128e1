#include "quiver/store/exclusive_creator.h"

#include <utility>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>

#include "quiver/store/local_exclusive_creator.h"
#include "quiver/store/s3_exclusive_creator.h"

namespace quiver::store {
namespace {

/// Prepends a SubTreeFileSystem's base path to every path.
class PrefixedExclusiveCreator final : public ExclusiveCreator {
 public:
  PrefixedExclusiveCreator(std::string prefix, std::shared_ptr<ExclusiveCreator> base)
      : prefix_(std::move(prefix)), base_(std::move(base)) {}

  arrow::Status CreateExclusive(const std::string& path,
                                std::string_view contents) override {
    std::string_view relative = path;
    while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
    if (relative.empty()) return arrow::Status::Invalid("exclusive create: empty path");
    return base_->CreateExclusive(prefix_ + std::string(relative), contents);
  }

 private:
  const std::string prefix_;  // ends with '/'
  const std::shared_ptr<ExclusiveCreator> base_;
};

}  // namespace

arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeExclusiveCreator(
    std::shared_ptr<arrow::fs::FileSystem> fs) {
  if (!fs) return arrow::Status::Invalid("MakeExclusiveCreator: no file system");
  if (auto subtree = std::dynamic_pointer_cast<arrow::fs::SubTreeFileSystem>(fs)) {
    ARROW_ASSIGN_OR_RAISE(auto base, MakeExclusiveCreator(subtree->base_fs()));
    std::string prefix = subtree->base_path();
    if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
    return std::make_shared<PrefixedExclusiveCreator>(std::move(prefix), std::move(base));
  }
  if (fs->type_name() == "local") return MakeLocalExclusiveCreator();
  if (fs->type_name() == "s3") {
    const auto& s3 = static_cast<const arrow::fs::S3FileSystem&>(*fs);
    ARROW_ASSIGN_OR_RAISE(auto options, S3ExclusiveCreatorOptions::FromFileSystem(s3));
    return MakeS3ExclusiveCreator(std::move(options));
  }
  return arrow::Status::NotImplemented("exclusive create (needed for commits) is not ",
                                       "supported on '", fs->type_name(),
                                       "' file systems");
}

arrow::Status CheckExclusiveCreate(ExclusiveCreator& creator,
                                   const std::string& probe_path) {
  ARROW_RETURN_NOT_OK(creator.CreateExclusive(probe_path, "quiver probe 1"));
  const arrow::Status second = creator.CreateExclusive(probe_path, "quiver probe 2");
  if (second.IsAlreadyExists()) return arrow::Status::OK();
  if (second.ok()) {
    return arrow::Status::NotImplemented(
        "the store accepted a second exclusive create of the same object: it ignores "
        "conditional writes (If-None-Match), so concurrent commits would not be safe");
  }
  return second;
}

}  // namespace quiver::store
