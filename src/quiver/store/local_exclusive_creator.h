#pragma once

#include <memory>

#include "quiver/store/exclusive_creator.h"

namespace quiver::store {

/// \brief An ExclusiveCreator for local (POSIX) disks. CreateExclusive(path, contents)
/// writes `contents` to a temporary file `.quiver-tmp-excl-*` beside `path`, fsyncs
/// it, link(2)s it to `path` (atomic, fails with EEXIST if `path` exists, even against
/// other processes), removes the temporary name and fsyncs the directory. A crash
/// leaves at most a temporary file, never a partial `path`. Missing parent directories
/// are created. Needs a file system with hard links (ext4, xfs, btrfs, tmpfs, NFS).
///
/// Paths are absolute local paths (arrow::fs::LocalFileSystem's).
std::shared_ptr<ExclusiveCreator> MakeLocalExclusiveCreator();

}  // namespace quiver::store
