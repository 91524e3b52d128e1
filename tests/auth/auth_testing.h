#pragma once

/// \file
/// Helpers of the auth tests: a quiverd service with authentication started in-process
/// on a free loopback port, clients, and the development certificates.

#include <memory>
#include <string>
#include <vector>

#include <arrow/flight/client.h>
#include <arrow/result.h>
#include <arrow/table.h>

#include "quiver/auth/auth.h"
#include "quiver/server/serve.h"
#include "quiver/store/dataset_store.h"

#include "testing/temp_dir.h"

namespace quiver::testing {

/// The password of every test user.
inline constexpr char kPassword[] = "correct horse battery";

/// \brief Users with cheap hashes: rita (reader), wendy (writer), adam (admin), greta
/// (writer limited to datasets under "sales"), client (reader; the CN of the
/// development client certificate).
std::vector<auth::UserRecord> TestUsers();

/// \brief What to start.
struct AuthServerOptions {
  bool auth = true;
  auth::AuthenticatorOptions authenticator;  // users default to TestUsers()
  auth::AuthMiddlewareOptions middleware;
  /// TLS: certificate files of the development PKI (CertPath names), empty: plaintext.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
};

/// \brief A QuiverService on 127.0.0.1, port 0, over a store in a temporary directory.
struct AuthServer {
  static arrow::Result<std::unique_ptr<AuthServer>> Start(AuthServerOptions options);
  ~AuthServer();

  /// \brief A client for this server; TLS clients trust the development CA unless
  /// `options.tls_root_certs` is set.
  arrow::Result<std::unique_ptr<arrow::flight::FlightClient>> Connect(
      arrow::flight::FlightClientOptions options =
          arrow::flight::FlightClientOptions::Defaults()) const;

  TempDir dir;
  std::shared_ptr<store::DatasetStore> store;
  std::shared_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<server::QuiverService> service;
  bool tls = false;
};

/// \brief Path of a file of the development PKI made by scripts/make-dev-certs.sh.
std::string CertPath(const std::string& name);
/// \brief Contents of that file.
std::string ReadCert(const std::string& name);

/// \brief Call options carrying the given header pair (e.g. the bearer token).
arrow::flight::FlightCallOptions WithHeader(std::pair<std::string, std::string> header);

/// \brief A three-row table.
std::shared_ptr<arrow::Table> SmallTable();

/// \brief Upload `table` as dataset `name` (a '/'-separated path).
arrow::Status PutAs(arrow::flight::FlightClient& client,
                    const arrow::flight::FlightCallOptions& call, const std::string& name,
                    const std::shared_ptr<arrow::Table>& table);

/// \brief Rows read back from dataset `name` through GetFlightInfo and DoGet.
arrow::Result<int64_t> RowsOf(arrow::flight::FlightClient& client,
                              const arrow::flight::FlightCallOptions& call,
                              const std::string& name);

/// \brief Run a DoAction and drain its results.
arrow::Status RunAction(arrow::flight::FlightClient& client,
                        const arrow::flight::FlightCallOptions& call,
                        const std::string& type, const std::string& body);

/// \brief The Flight status code of `status` (Internal when it carries none).
arrow::flight::FlightStatusCode CodeOf(const arrow::Status& status);

}  // namespace quiver::testing
