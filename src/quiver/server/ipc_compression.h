#pragma once

/// \file
/// Compression of IPC record batch bodies on the DoGet stream (`--ipc-compression`,
/// and `compression` in read commands): pyarrow and the other Flight clients decode it
/// transparently. Its names are CodecUse::kIpc's (quiver/common/codec_names.h).

#include <arrow/ipc/options.h>
#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

namespace quiver::server {

/// \brief IPC write options compressing batch bodies with `codec` (none: uncompressed).
arrow::Result<arrow::ipc::IpcWriteOptions> IpcOptionsFor(arrow::Compression::type codec);

}  // namespace quiver::server
