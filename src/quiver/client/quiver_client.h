#pragma once

/// \file
/// QuiverClient: the Flight calls quiver's clients make, with the connection options
/// (TLS, mTLS, login token, deadline, middleware) applied to every call.
///
/// Usage:
///   ARROW_ASSIGN_OR_RAISE(auto client, QuiverClient::Connect(options));
///   ARROW_ASSIGN_OR_RAISE(auto infos, client->List("sales/"));
///
/// Dataset names are written as users write them ("a/b"); the client turns them into
/// PATH descriptors of their segments, or into the JSON commands of docs/protocol.md
/// for versions and appends (dataset_request.h). The server validates names.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/flight/client.h>
#include <arrow/flight/types.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/util/cancel.h>

#include "quiver/client/client_options.h"
#include "quiver/client/dataset_request.h"
#include "quiver/client/version_info.h"

namespace quiver::client {

/// \brief A DoGet stream and, when the endpoint named another server, the client that
/// connection belongs to (it must outlive the reader; members destroy in reverse order).
struct EndpointStream {
  std::unique_ptr<arrow::flight::FlightClient> other_server;
  std::unique_ptr<arrow::flight::FlightStreamReader> reader;
};

/// \brief A connection to a quiver server.
///
/// Not thread-safe: use one QuiverClient per thread (Flight connections are cheap).
class QuiverClient {
 public:
  /// \brief Connect (lazily: gRPC dials on the first call) with these options.
  /// \return Invalid for a malformed server URL or half an mTLS key pair.
  static arrow::Result<std::unique_ptr<QuiverClient>> Connect(ClientOptions options);

  ~QuiverClient();

  const ClientOptions& options() const { return options_; }
  const arrow::flight::Location& location() const { return location_; }
  /// \brief The underlying Flight client, for calls this class does not wrap.
  arrow::flight::FlightClient& flight() { return *flight_; }

  /// \brief Log in with the Flight basic-token handshake (the Flight cookbook's
  /// scheme) and add the returned header to every later call.
  /// \return the header pair, e.g. {"authorization", "Bearer <token>"}; an error with
  ///         FlightStatusCode::Unauthenticated when the server refuses the credentials.
  arrow::Result<std::pair<std::string, std::string>> Login(const std::string& user,
                                                           const std::string& password);

  /// \brief Add a header to every later call, replacing one of the same name. Names
  /// are case-insensitive and sent in lower case.
  void SetHeader(std::string name, std::string value);

  /// \brief Make later calls stop (with Cancelled) once `token` is stopped; a
  /// default token never stops.
  void SetStopToken(arrow::StopToken token) { stop_token_ = std::move(token); }

  /// \brief The call options every call uses: deadline, headers, stop token.
  arrow::flight::FlightCallOptions CallOptions() const;

  /// \brief Datasets whose name starts with `prefix` (all when empty).
  arrow::Result<std::vector<arrow::flight::FlightInfo>> List(std::string_view prefix);

  /// \brief Schema, rows, stored size, version (app_metadata, see VersionOf) and
  /// endpoints of one dataset, at its current version or the one `at` selects. The
  /// endpoints' tickets read exactly that version.
  /// \return KeyError (NOT_FOUND) when there is no such dataset or version.
  /// With a non-empty `read`, only those columns and rows, over up to
  /// `read.endpoints` endpoints (a CMD descriptor; docs/protocol.md).
  arrow::Result<arrow::flight::FlightInfo> GetInfo(
      std::string_view name, const VersionSelector& at = VersionSelector::Current(),
      const ReadSelection& read = {});

  /// \brief Start reading one endpoint of a FlightInfo. An endpoint without locations
  /// is read from this server; otherwise from its first location, with these options.
  arrow::Result<EndpointStream> OpenEndpoint(
      const arrow::flight::FlightEndpoint& endpoint);

  /// \brief Start uploading a new version of dataset `name` with `schema`, replacing
  /// its rows or (kAppend) adding to them; appending to a missing dataset creates it.
  /// The server commits it when the writer is closed after a clean stream
  /// (DoneWriting + Close). An append whose schema differs from the dataset's fails
  /// with Invalid naming the field.
  arrow::Result<arrow::flight::FlightClient::DoPutResult> OpenPut(
      std::string_view name, const std::shared_ptr<arrow::Schema>& schema,
      PutMode mode = PutMode::kOverwrite);

  /// \brief Abandon an upload opened by OpenPut so that the server never commits it.
  ///
  /// Flight's DoPut writer cannot be cancelled and finishes the call cleanly when
  /// closed or destroyed, which the server takes as "commit". This leaves the call
  /// unfinished instead (the writer is deliberately never destroyed): the server sees
  /// it cancelled when the connection goes, at the latest when the process exits. Meant
  /// for a process about to exit on an error; each call leaks one writer.
  static void AbandonPut(arrow::flight::FlightClient::DoPutResult put);

  /// \brief Delete a dataset (DoAction "drop_dataset").
  arrow::Status Drop(std::string_view name);

  /// \brief The stored versions of a dataset, oldest first (DoAction
  /// "list_versions"), drops included.
  /// \return KeyError when the dataset has no stored version.
  arrow::Result<std::vector<VersionInfo>> ListVersions(std::string_view name);

  /// \brief Make version `version` current again, as a new version (DoAction
  /// "restore_version"). \return the new version; KeyError for an unknown version.
  arrow::Result<VersionInfo> Restore(std::string_view name, int64_t version);

  /// \brief Rewrite the dataset's small parts into larger ones, as a new version with
  /// the same rows (DoAction "compact"). \return the resulting version: the current
  /// one, unchanged, when there was nothing to compact.
  arrow::Result<VersionInfo> Compact(std::string_view name);

  /// \brief Close the connection; later calls fail.
  arrow::Status Close();

 private:
  QuiverClient(ClientOptions options, arrow::flight::Location location,
               std::unique_ptr<arrow::flight::FlightClient> flight);
  arrow::flight::FlightClientOptions FlightOptions() const;
  /// Run an action and return the bodies of its results.
  arrow::Result<std::vector<std::string>> RunAction(const std::string& type,
                                                    std::string body);
  /// Run an action that answers with exactly one version description.
  arrow::Result<VersionInfo> RunVersionAction(const std::string& type, std::string body);

  ClientOptions options_;
  arrow::flight::Location location_;
  std::unique_ptr<arrow::flight::FlightClient> flight_;
  arrow::StopToken stop_token_;
};

}  // namespace quiver::client
