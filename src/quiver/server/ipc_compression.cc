#include "quiver/server/ipc_compression.h"

#include <arrow/util/compression.h>

namespace quiver::server {

arrow::Result<arrow::ipc::IpcWriteOptions> IpcOptionsFor(arrow::Compression::type codec) {
  auto options = arrow::ipc::IpcWriteOptions::Defaults();
  if (codec != arrow::Compression::UNCOMPRESSED) {
    ARROW_ASSIGN_OR_RAISE(options.codec, arrow::util::Codec::Create(codec));
  }
  return options;
}

}  // namespace quiver::server
