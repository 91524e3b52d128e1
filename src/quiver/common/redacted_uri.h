#pragma once

/// \file
/// URIs made safe to print in logs and error messages, parsed by arrow::util::Uri.

#include <string>
#include <string_view>

namespace quiver {

/// \brief Whether a query parameter named `name` holds a secret.
using SecretParameter = bool (*)(std::string_view name);

/// \brief `uri` with its user information ("key:secret@") replaced by "***@" and the
/// value of every query parameter `is_secret` names replaced by "***" (none when
/// null): "s3://AK:S@bucket/p?secret_key=S&region=r" becomes
/// "s3://***@bucket/p?secret_key=***&region=r". The path is shown decoded and a
/// fragment is left out. A string without "://" has no user information and is
/// returned as given; one arrow::util::Uri cannot parse is shown as "<scheme>://***"
/// (or "***" without a valid scheme), never as given.
std::string RedactUri(std::string_view uri, SecretParameter is_secret = nullptr);

}  // namespace quiver
