#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>

namespace quiver::store {

/// \brief Creates small objects only if absent: the one primitive that makes commits
/// safe between concurrent writers (threads, processes, nodes).
///
/// Implementations must be thread-safe, and the object must appear whole or not at
/// all: a reader never sees partial contents.
class ExclusiveCreator {
 public:
  virtual ~ExclusiveCreator() = default;

  /// \brief Create `path` holding `contents`, durably, only if nothing is there.
  /// \return AlreadyExists if `path` exists (another writer won); IOError otherwise.
  ///         The parent directory must exist.
  virtual arrow::Status CreateExclusive(const std::string& path,
                                        std::string_view contents) = 0;
};

/// \brief For paths of the local file system: the contents go to a temporary file
/// beside `path` (fsynced), which link(2) then puts in place, failing with EEXIST if
/// `path` exists; the temporary name is unlinked and the directory fsynced.
std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator();

/// \brief The local creator for the paths of `fs`, whose files must be local
/// (LocalFileSystem, or a SubTreeFileSystem or ForwardingFileSystem over one: see
/// durability.h): each path is looked through to its local path, and wrappers are told
/// of each creation (DirectOperation::kCreateExclusive) and may fail it.
std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator(
    std::shared_ptr<const arrow::fs::FileSystem> fs);

/// \brief A creator that prepends `prefix` (ending with '/') to every path and hands it
/// to `base`: a SubTreeFileSystem's paths on its base file system.
std::shared_ptr<ExclusiveCreator> MakePrefixedExclusiveCreator(
    std::string prefix, std::shared_ptr<ExclusiveCreator> base);

/// \brief Check that the store really enforces exclusive creates: some S3-compatible
/// stores accept and ignore `If-None-Match`, which would make every commit unsafe.
/// Creates `probe_path` (a fresh, unique name) twice; the second must be refused.
/// The probe object stays; delete it through the file system afterwards.
///
/// \return OK if the store refused the second create; NotImplemented if it accepted it;
/// the first create's error otherwise (unreachable store, refused credentials, missing
/// bucket: a useful start-up check on its own).
arrow::Status CheckExclusiveCreate(ExclusiveCreator& creator,
                                   const std::string& probe_path);

}  // namespace quiver::store
