#pragma once

/// \file
/// The Flight face of quiver: maps Flight RPCs onto a store::DatasetStore.
///
/// This layer never builds a file path: datasets are addressed by store::DatasetName.

#include <memory>
#include <vector>

#include <arrow/flight/server.h>
#include <arrow/util/compression.h>

#include "quiver/server/action_handler.h"
#include "quiver/server/authorizer.h"
#include "quiver/server/dataset_addressing.h"
#include "quiver/server/info_cache.h"
#include "quiver/server/sql_endpoint.h"
#include "quiver/server/stream_limits.h"
#include "quiver/store/dataset_store.h"

namespace quiver::server {

/// \brief Optional components plugged into a QuiverService (access control), and
/// its read defaults.
struct ServiceExtensions {
  /// IPC body compression of DoGet streams whose ticket asks for none
  /// (`--ipc-compression`): UNCOMPRESSED, LZ4_FRAME or ZSTD.
  arrow::Compression::type ipc_compression = arrow::Compression::UNCOMPRESSED;
  /// Checked before every operation; nullptr allows everything (no authentication).
  std::shared_ptr<Authorizer> authorizer;
  /// Extra DoAction types (e.g. logout), served after the built-in ones.
  std::vector<std::shared_ptr<ActionHandler>> actions;
  /// Stream limits (--max-streams...); nullptr: none.
  std::shared_ptr<StreamLimits> limits;
  /// The Flight SQL front end (docs/sql.md); nullptr: Flight SQL calls are refused
  /// as UNIMPLEMENTED.
  std::shared_ptr<SqlEndpoint> sql;
};

/// \brief Flight service over a DatasetStore: the cookbook's RPCs, production-grade.
///
/// - DoPut (PATH descriptor, or JSON command with "mode": "append") streams batches
///   into a new version of the dataset, committed atomically at the end of a clean
///   stream;
/// - DoGet streams one version: the one its ticket pins (minted by GetFlightInfo), or
///   the current one for a bare-name ticket;
/// - GetFlightInfo / GetSchema (PATH, or JSON command with "version" / "as_of") and
///   ListFlights (criteria = name prefix) read the catalog;
/// - DoAction: drop_dataset, list_versions, restore_version, compact, health_check.
/// - Flight SQL (CMD descriptors and tickets that are Any-packed Flight SQL messages,
///   and the Flight SQL actions) go to ServiceExtensions::sql.
///
/// Thread-safe: Flight calls handlers concurrently.
class QuiverService : public arrow::flight::FlightServerBase {
 public:
  /// \param store the datasets served; shared with the caller.
  /// \param locations where endpoints say tickets can be redeemed; empty means "this
  ///        same service" (the Flight default).
  /// \param extensions access control and extra actions; none by default.
  QuiverService(std::shared_ptr<store::DatasetStore> store,
                std::vector<arrow::flight::Location> locations,
                ServiceExtensions extensions = {});

  arrow::Status ListFlights(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::Criteria* criteria,
      std::unique_ptr<arrow::flight::FlightListing>* listings) override;
  arrow::Status GetFlightInfo(const arrow::flight::ServerCallContext& context,
                              const arrow::flight::FlightDescriptor& request,
                              std::unique_ptr<arrow::flight::FlightInfo>* info) override;
  arrow::Status GetSchema(const arrow::flight::ServerCallContext& context,
                          const arrow::flight::FlightDescriptor& request,
                          std::unique_ptr<arrow::flight::SchemaResult>* schema) override;
  arrow::Status DoGet(const arrow::flight::ServerCallContext& context,
                      const arrow::flight::Ticket& request,
                      std::unique_ptr<arrow::flight::FlightDataStream>* stream) override;
  arrow::Status DoPut(
      const arrow::flight::ServerCallContext& context,
      std::unique_ptr<arrow::flight::FlightMessageReader> reader,
      std::unique_ptr<arrow::flight::FlightMetadataWriter> writer) override;
  arrow::Status DoAction(const arrow::flight::ServerCallContext& context,
                         const arrow::flight::Action& action,
                         std::unique_ptr<arrow::flight::ResultStream>* result) override;
  arrow::Status ListActions(const arrow::flight::ServerCallContext& context,
                            std::vector<arrow::flight::ActionType>* actions) override;

 private:
  /// `request`: the descriptor asked for (echoed for CMD requests); nullptr in listings.
  arrow::Result<arrow::flight::FlightInfo> MakeInfo(
      const store::DatasetInfo& info,
      const arrow::flight::FlightDescriptor* request = nullptr) const;
  /// The FlightInfo of a selective read (columns, filter, limit, endpoints...): the
  /// projected schema and one self-contained ticket per endpoint.
  arrow::Result<arrow::flight::FlightInfo> MakeSelectiveInfo(
      const store::DatasetInfo& info, const ReadSelection& read,
      const arrow::flight::FlightDescriptor& request) const;
  /// The version a request designates (current, by number, or as of a time).
  arrow::Result<store::DatasetInfo> Resolve(const DatasetRequest& request) const;
  arrow::Status Put(const arrow::flight::ServerCallContext& context,
                    arrow::flight::FlightMessageReader& reader);
  arrow::Status Get(const arrow::flight::ServerCallContext& context,
                    const arrow::flight::Ticket& request,
                    std::unique_ptr<arrow::flight::FlightDataStream>* stream);
  arrow::Status Action(const arrow::flight::ServerCallContext& context,
                       const arrow::flight::Action& action,
                       std::unique_ptr<arrow::flight::ResultStream>* result);
  /// \brief A place for a DoGet/DoPut stream among the limits (nullptr: no limits).
  arrow::Result<std::unique_ptr<StreamSlot>> AdmitStream(
      const arrow::flight::ServerCallContext& context, std::string description);
  /// \brief Whether a CMD descriptor carries a Flight SQL command (sent to the SQL
  /// front end); NotImplemented when it does but none is installed.
  arrow::Result<bool> IsSql(const arrow::flight::FlightDescriptor& request) const;
  /// OK when no Authorizer is installed.
  arrow::Status Authorize(const arrow::flight::ServerCallContext& context,
                          Operation operation, const store::DatasetName* dataset);

  std::shared_ptr<store::DatasetStore> store_;
  std::vector<arrow::flight::Location> locations_;
  mutable InfoCache infos_;
  ServiceExtensions extensions_;
};

}  // namespace quiver::server
