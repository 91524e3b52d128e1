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

/// \brief The creator for `fs`: a file system whose files are local (LocalFileSystem,
/// or a SubTreeFileSystem or FileSystemWrapper over one: see durability.h) gets the
/// local creator, on the local paths its paths designate; wrappers are told of each
/// creation (DirectOperation::kCreateExclusive) and may fail it.
/// \return NotImplemented for file systems that offer no exclusive create.
arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeExclusiveCreator(
    const arrow::fs::FileSystem& fs);

}  // namespace quiver::store
