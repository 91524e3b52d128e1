#include "quiver/store/fs/s3_object_url_internal.h"

namespace quiver::store {

arrow::Result<S3ObjectAddress> S3ObjectAddress::FromPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const auto slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) {
    return arrow::Status::Invalid("S3 path '", path, "' is not of the form bucket/key");
  }
  return S3ObjectAddress{std::string(path.substr(0, slash)),
                         std::string(path.substr(slash + 1))};
}

std::string EncodeS3Key(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (const char c : key) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' ||
                            b == '~' || b == '/';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

arrow::Result<std::string> S3ObjectUrl(const S3Endpoint& endpoint,
                                       const S3ObjectAddress& address) {
  const std::string key = EncodeS3Key(address.key);
  if (endpoint.endpoint_override.empty()) {
    if (endpoint.scheme != "http" && endpoint.scheme != "https") {
      return arrow::Status::Invalid("S3 scheme must be http or https, not '",
                                    endpoint.scheme, "'");
    }
    const std::string region = endpoint.region.empty() ? "us-east-1" : endpoint.region;
    return endpoint.scheme + "://" + address.bucket + ".s3." + region +
           ".amazonaws.com/" + key;
  }
  // Arrow accepts an override with its own scheme ("http://host:port") too.
  std::string scheme = endpoint.scheme;
  std::string host = endpoint.endpoint_override;
  if (const auto sep = host.find("://"); sep != std::string::npos) {
    scheme = host.substr(0, sep);
    host = host.substr(sep + 3);
  }
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (scheme != "http" && scheme != "https") {
    return arrow::Status::Invalid("S3 scheme must be http or https, not '", scheme, "'");
  }
  if (endpoint.force_virtual_addressing) {
    return scheme + "://" + address.bucket + "." + host + "/" + key;
  }
  return scheme + "://" + host + "/" + address.bucket + "/" + key;
}

}  // namespace quiver::store
