#include "quiver/server/ipc_compression.h"

#include <arrow/util/compression.h>

namespace quiver::server {

arrow::Result<arrow::Compression::type> ParseIpcCompression(std::string_view name) {
  if (name == "none") return arrow::Compression::UNCOMPRESSED;
  if (name == "lz4") return arrow::Compression::LZ4_FRAME;
  if (name == "zstd") return arrow::Compression::ZSTD;
  return arrow::Status::Invalid(
      "IPC compression must be \"none\", \"lz4\" or \"zstd\", "
      "not \"",
      name, "\"");
}

std::string_view IpcCompressionName(arrow::Compression::type codec) {
  switch (codec) {
    case arrow::Compression::LZ4_FRAME:
      return "lz4";
    case arrow::Compression::ZSTD:
      return "zstd";
    default:
      return "none";
  }
}

arrow::Result<arrow::ipc::IpcWriteOptions> IpcOptionsFor(arrow::Compression::type codec) {
  auto options = arrow::ipc::IpcWriteOptions::Defaults();
  if (codec != arrow::Compression::UNCOMPRESSED) {
    ARROW_ASSIGN_OR_RAISE(options.codec, arrow::util::Codec::Create(codec));
  }
  return options;
}

}  // namespace quiver::server
