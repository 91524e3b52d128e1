#include "quiver/client/filter_encoding.h"

#include <string_view>

#include <arrow/buffer.h>
#include <arrow/engine/substrait/serde.h>
#include <arrow/status.h>
#include <arrow/util/base64.h>

namespace quiver::client {

arrow::Result<std::string> EncodeFilter(const arrow::compute::Expression& filter,
                                        const std::shared_ptr<arrow::Schema>& schema) {
  arrow::engine::BoundExpressions bound;
  bound.schema = schema;
  bound.named_expressions.push_back({filter, "filter"});
  auto serialized = arrow::engine::SerializeExpressions(bound);
  if (!serialized.ok()) {
    return arrow::Status::Invalid("the filter cannot be expressed in Substrait: ",
                                  serialized.status().message());
  }
  std::string encoded = arrow::util::base64_encode(
      std::string_view(reinterpret_cast<const char*>((*serialized)->data()),
                       static_cast<size_t>((*serialized)->size())));
  if (encoded.size() > kMaxEncodedFilterBytes) {
    return arrow::Status::Invalid("the filter is too large to send (", encoded.size(),
                                  " bytes encoded, at most ", kMaxEncodedFilterBytes,
                                  ")");
  }
  return encoded;
}

}  // namespace quiver::client
