#include "quiver/common/redacted_uri.h"

#include <arrow/result.h>
#include <arrow/util/uri.h>

namespace quiver {
namespace {

/// The raw query string with each secret value replaced, parameters kept in order
/// and as written (percent-encoding included).
std::string RedactQuery(std::string_view query, SecretParameter is_secret) {
  std::string out;
  for (bool first = true;; first = false) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const auto eq = item.find('=');
    if (!first) out += '&';
    if (eq != std::string_view::npos && is_secret != nullptr &&
        is_secret(item.substr(0, eq))) {
      out.append(item.substr(0, eq + 1)).append("***");
    } else {
      out.append(item);
    }
    if (amp == std::string_view::npos) return out;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace

std::string RedactUri(std::string_view text, SecretParameter is_secret) {
  const auto colon = text.find("://");
  if (colon == std::string_view::npos) return std::string(text);
  auto uri = arrow::util::Uri::FromString(std::string(text));
  if (!uri.ok()) {
    const std::string_view scheme = text.substr(0, colon);
    return arrow::util::IsValidUriScheme(scheme) ? std::string(scheme) + "://***" : "***";
  }
  std::string out = uri->scheme() + "://";
  if (!uri->username().empty() || !uri->password().empty()) out += "***@";
  out += arrow::util::UriEncodeHost(uri->host());
  if (!uri->port_text().empty()) out += ":" + uri->port_text();
  out += uri->path();
  const std::string query = uri->query_string();
  if (!query.empty()) out += "?" + RedactQuery(query, is_secret);
  return out;
}

}  // namespace quiver
