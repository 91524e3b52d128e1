#include <algorithm>

#include "quiver/store/fs/s3_error_internal.h"

namespace quiver::store {
namespace {

std::string ElementText(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const auto begin = xml.find(open);
  if (begin == std::string_view::npos) return "";
  const auto from = begin + open.size();
  const auto end = xml.find(close, from);
  if (end == std::string_view::npos) return "";
  // Error texts are short; a huge one is not an S3 error body.
  return std::string(xml.substr(from, std::min<size_t>(end - from, 200)));
}

std::string Describe(long http_status, const S3ErrorBody& error) {
  std::string out = "HTTP " + std::to_string(http_status);
  if (!error.code.empty()) out += " " + error.code;
  if (!error.message.empty()) out += ": " + error.message;
  return out;
}

}  // namespace

S3ErrorBody S3ErrorBody::Parse(std::string_view xml) {
  return S3ErrorBody{ElementText(xml, "Code"), ElementText(xml, "Message")};
}

arrow::Status S3ErrorToStatus(long http_status, std::string_view body,
                              const S3ObjectAddress& address) {
  const S3ErrorBody error = S3ErrorBody::Parse(body);
  const std::string what = "s3://" + address.bucket + "/" + address.key;
  const std::string detail = Describe(http_status, error);
  if (http_status == 412) {
    return arrow::Status::AlreadyExists("'", what, "' already exists (", detail, ")");
  }
  if (http_status == 501) {
    return arrow::Status::NotImplemented(
        "the object store does not support conditional writes (If-None-Match) needed "
        "to create '",
        what, "' (", detail, ")");
  }
  // Credential errors by code first: some stores answer them with other statuses
  // (versitygw: 404 XAdminUserNotFound for an unknown access key id).
  const bool credentials_refused =
      http_status == 403 || http_status == 401 || error.code == "InvalidAccessKeyId" ||
      error.code == "XAdminUserNotFound" || error.code == "SignatureDoesNotMatch" ||
      error.code == "ExpiredToken" || error.code == "InvalidToken";
  if (!credentials_refused && http_status == 404 &&
      (error.code == "NoSuchBucket" || error.code.empty())) {
    return arrow::Status::IOError("S3 bucket '", address.bucket, "' does not exist (",
                                  detail, ")");
  }
  if (credentials_refused) {
    std::string hint = "access denied";
    if (error.code == "InvalidAccessKeyId" || error.code == "XAdminUserNotFound") {
      hint = "the access key id is unknown to the store";
    } else if (error.code == "SignatureDoesNotMatch") {
      hint = "the secret key does not match the access key id";
    } else if (error.code == "ExpiredToken" || error.code == "InvalidToken") {
      hint = "the session token is invalid or expired";
    } else if (error.code == "RequestTimeTooSkewed") {
      hint = "this machine's clock is too far from the store's";
    }
    return arrow::Status::IOError("S3 refused the credentials for bucket '",
                                  address.bucket, "': ", hint, " (", detail, ")");
  }
  return arrow::Status::IOError("S3 request for '", what, "' failed (", detail, ")");
}

}  // namespace quiver::store
