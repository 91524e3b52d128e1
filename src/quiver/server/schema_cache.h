#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::server {

/// \brief Serialised (IPC) schemas per dataset, so that ListFlights over thousands of
/// datasets does not re-serialise every schema on every call.
///
/// An entry is valid while the catalog hands out the same Schema object for the
/// dataset (an overwrite installs a new one). Thread-safe.
class SchemaCache {
 public:
  /// \brief The IPC serialisation of `schema`, the schema of dataset `name`.
  arrow::Result<std::string> Get(const std::string& name,
                                 const std::shared_ptr<arrow::Schema>& schema);
  /// \brief Forget a dataset (after a drop).
  void Erase(const std::string& name);

 private:
  struct Entry {
    std::shared_ptr<arrow::Schema> schema;
    std::string bytes;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace quiver::server
