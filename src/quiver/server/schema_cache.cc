#include "quiver/server/schema_cache.h"

#include <arrow/buffer.h>
#include <arrow/ipc/writer.h>

namespace quiver::server {

arrow::Result<std::string> SchemaCache::Get(
    const std::string& name, const std::shared_ptr<arrow::Schema>& schema) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it != entries_.end() && it->second.schema == schema) return it->second.bytes;
  }
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(*schema));
  std::string bytes = buffer->ToString();
  std::lock_guard lock(mutex_);
  entries_[name] = Entry{schema, bytes};
  return bytes;
}

void SchemaCache::Erase(const std::string& name) {
  std::lock_guard lock(mutex_);
  entries_.erase(name);
}

}  // namespace quiver::server
