#pragma once

#include <string>
#include <string_view>

#include <arrow/status.h>

#include "quiver/store/fs/s3_object_url_internal.h"

namespace quiver::store {

/// \brief The `<Code>` and `<Message>` of an S3 XML error body (empty if absent).
struct S3ErrorBody {
  std::string code;
  std::string message;

  static S3ErrorBody Parse(std::string_view xml);
};

/// \brief The Status for a failed S3 request on `address` that answered `http_status`
/// (not 2xx) with `body`: 412 -> AlreadyExists; 501 -> NotImplemented; 403 and 404
/// (missing bucket) and the rest -> IOError saying what to fix. Messages name the
/// bucket and key, the HTTP status and S3 error code, never credentials.
arrow::Status S3ErrorToStatus(long http_status, std::string_view body,
                              const S3ObjectAddress& address);

}  // namespace quiver::store
