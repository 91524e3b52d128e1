#pragma once

/// \file
/// The seam through which the Flight SQL front end plugs into QuiverService.
///
/// QuiverService sends a call here when it carries a Flight SQL message: a CMD
/// descriptor or a ticket that is a packed google.protobuf.Any of an
/// `arrow.flight.protocol.sql` message (flightsql::IsFlightSqlMessage), or a DoAction
/// of one of the Flight SQL action types. PATH descriptors, quiver's JSON commands and
/// tickets, and its own actions never come here.

#include <memory>
#include <string_view>
#include <vector>

#include <arrow/flight/server.h>
#include <arrow/flight/types.h>
#include <arrow/status.h>

namespace quiver::server {

/// \brief Serves the Flight SQL calls of a QuiverService. Thread-safe.
///
/// Every method returns the status to send (Invalid for hostile input, Unauthorized
/// from the Authorizer, NotImplemented for commands quiver does not serve).
class SqlEndpoint {
 public:
  virtual ~SqlEndpoint() = default;

  virtual arrow::Status GetFlightInfo(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::FlightDescriptor& request,
      std::unique_ptr<arrow::flight::FlightInfo>* info) = 0;
  virtual arrow::Status GetSchema(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::FlightDescriptor& request,
      std::unique_ptr<arrow::flight::SchemaResult>* schema) = 0;
  virtual arrow::Status DoGet(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::Ticket& request,
      std::unique_ptr<arrow::flight::FlightDataStream>* stream) = 0;
  virtual arrow::Status DoPut(const arrow::flight::ServerCallContext& context,
                              arrow::flight::FlightMessageReader& reader,
                              arrow::flight::FlightMetadataWriter& writer) = 0;

  /// \brief Whether `type` is an action served here.
  virtual bool ServesAction(std::string_view type) const = 0;
  virtual arrow::Status DoAction(
      const arrow::flight::ServerCallContext& context,
      const arrow::flight::Action& action,
      std::unique_ptr<arrow::flight::ResultStream>* result) = 0;
  /// \brief The actions, as ListActions shows them.
  virtual std::vector<arrow::flight::ActionType> ActionTypes() const = 0;
};

}  // namespace quiver::server
