#pragma once

/// \file
/// Compression of IPC record batch bodies on the DoGet stream (`--ipc-compression`,
/// and `compression` in read commands): pyarrow and the other Flight clients decode it
/// transparently.

#include <string_view>

#include <arrow/ipc/options.h>
#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

namespace quiver::server {

/// \brief Parse "none", "lz4" (LZ4 frame) or "zstd". \return Invalid naming them.
arrow::Result<arrow::Compression::type> ParseIpcCompression(std::string_view name);

/// \brief The name ParseIpcCompression reads back.
std::string_view IpcCompressionName(arrow::Compression::type codec);

/// \brief IPC write options compressing batch bodies with `codec` (none: uncompressed).
arrow::Result<arrow::ipc::IpcWriteOptions> IpcOptionsFor(arrow::Compression::type codec);

}  // namespace quiver::server
