#include "quiver/common/schema_text.h"

#include <arrow/buffer.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/dictionary.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>
#include <arrow/type.h>
#include <arrow/util/base64.h>

namespace quiver {

arrow::Result<std::string> EncodeSchemaText(const arrow::Schema& schema) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(schema));
  return arrow::util::base64_encode(std::string_view(*buffer));
}

arrow::Result<std::shared_ptr<arrow::Schema>> DecodeSchemaText(std::string_view text) {
  auto bytes = arrow::util::base64_decode(text);
  if (!bytes.ok()) return arrow::Status::Invalid("not base64");
  arrow::io::BufferReader reader(arrow::Buffer::FromString(std::move(*bytes)));
  arrow::ipc::DictionaryMemo memo;
  auto schema = arrow::ipc::ReadSchema(&reader, &memo);
  if (!schema.ok()) return arrow::Status::Invalid("not an Arrow IPC schema");
  return schema;
}

}  // namespace quiver
