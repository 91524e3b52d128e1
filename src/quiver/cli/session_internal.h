#pragma once

/// \file
/// The global options of `quiver` and the connection every command shares: server
/// address, TLS material, credentials (a --user login or the cached token) and the
/// deadline.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/flight/client_middleware.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/cli/token_cache_internal.h"
#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief Options that apply to every command, as given on the command line.
struct GlobalOptions {
  std::string server;     ///< --server; empty = $QUIVER_SERVER, else the local quiverd
  std::string tls_roots;  ///< --tls-roots: PEM file of CA certificates to trust
  std::string cert;       ///< --cert: PEM client certificate (mTLS)
  std::string key;        ///< --key: PEM private key of --cert
  std::string user;       ///< --user: log in as this user for this command
  double timeout_seconds = 0;  ///< --timeout: deadline of each call; 0 = none
  bool no_progress = false;    ///< --no-progress: never draw a progress bar
};

/// \brief The connection and credentials of one `quiver` run. Not thread-safe.
class Session {
 public:
  Session(
      GlobalOptions options,
      std::vector<std::shared_ptr<arrow::flight::ClientMiddlewareFactory>> middleware);

  GlobalOptions& options() { return options_; }

  /// \brief The server URL: --server, else $QUIVER_SERVER, else the local quiverd.
  std::string ServerUrl() const;

  /// \brief The key of this server in the token cache: the URL in canonical form
  /// (scheme added to a bare HOST:PORT), so "db:8815" and "grpc://db:8815" share a
  /// login.
  std::string TokenKey() const;

  /// \brief Connection options from the global options (TLS files read here); no
  /// credentials.
  /// \return errors tagged kBadInput for unreadable certificate files.
  arrow::Result<client::ClientOptions> MakeClientOptions() const;

  /// \brief The connected client, with credentials: with --user, a fresh login
  /// (password from $QUIVER_PASSWORD or a prompt); otherwise the cached token for
  /// this server, if any. Connects on first use.
  arrow::Result<client::QuiverClient*> Client();

  /// \brief The user's password: $QUIVER_PASSWORD, else a prompt on the terminal.
  arrow::Result<std::string> Password(const std::string& user) const;

  /// \brief The token cache of this user.
  arrow::Result<TokenCache> Tokens() const;

  /// \brief Whether progress bars are drawn (stderr is a terminal, no --no-progress).
  bool ShowProgress() const;

  /// \brief Adjust the error of a failed command: when the server refused the cached
  /// token, forget it and say the login expired.
  arrow::Status Explain(arrow::Status status);

 private:
  GlobalOptions options_;
  std::vector<std::shared_ptr<arrow::flight::ClientMiddlewareFactory>> middleware_;
  std::unique_ptr<client::QuiverClient> client_;
  bool used_cached_token_ = false;
};

}  // namespace quiver::cli
