#pragma once

/// \file
/// What the store reports of each request it makes to an object store (see
/// metered_filesystem.h for the operations), for metrics.

#include <cstdint>
#include <string_view>

namespace quiver::store {

/// \brief One request made to the store.
struct ObjectStoreRequest {
  std::string_view operation;  ///< "read", "list", ... (see the file comment)
  int64_t bytes = 0;           ///< payload bytes read or written
  double seconds = 0;          ///< wall time of the call
  bool error = false;          ///< the call failed (a missing object on stat is not)
};

/// \brief Receives every request of a MeteredFileSystem. Must be thread-safe and cheap.
class ObjectStoreListener {
 public:
  virtual ~ObjectStoreListener() = default;
  virtual void OnRequest(const ObjectStoreRequest& request) = 0;
};

}  // namespace quiver::store
