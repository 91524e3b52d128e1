#pragma once

#include <memory>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>

#include "quiver/store/fs/exclusive_create.h"

namespace quiver::store {

/// \brief The creator for `fs`: a file system whose files are local (LocalFileSystem,
/// or a SubTreeFileSystem or ForwardingFileSystem over one: see durability.h) gets the
/// local creator, on the local paths its paths designate; wrappers are told of each
/// creation (DirectOperation::kCreateExclusive) and may fail it. S3 file systems get an
/// S3 creator (s3_exclusive_creator.h: a SigV4 PUT with `If-None-Match: *`) with the
/// endpoint, region, addressing, TLS settings and credentials provider of `fs` itself;
/// another SubTreeFileSystem the creator of its base, with its base path prepended.
/// \return NotImplemented for file systems that offer no exclusive create.
arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeExclusiveCreator(
    const arrow::fs::FileSystem& fs);

}  // namespace quiver::store
