#pragma once

/// \file
/// The strict codec of Flight SQL messages packed in a google.protobuf.Any.
///
/// Flight SQL clients put an Any-packed command in a CMD descriptor (GetFlightInfo,
/// GetSchema, DoPut), an Any-packed TicketStatementQuery in a ticket (DoGet) and an
/// Any-packed request in an action body (DoAction). Every byte here comes from the
/// network: decoding checks the envelope, the exact type URL and the message, and each
/// refusal is an arrow::Status::Invalid (INVALID_ARGUMENT on the wire) saying what was
/// wrong, never a crash.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/flightsql/flight_sql.pb.h"

namespace quiver::flightsql {

namespace pb = arrow::flight::protocol::sql;

/// The host part of every type URL protobuf writes.
inline constexpr std::string_view kTypeUrlHost = "type.googleapis.com/";
/// The prefix of every Flight SQL type URL.
inline constexpr std::string_view kTypeUrlPrefix =
    "type.googleapis.com/arrow.flight.protocol.sql.";

/// Commands and tickets larger than this are refused (a statement's text included).
inline constexpr size_t kMaxMessageBytes = 16 << 20;

/// \brief A command of a CMD descriptor, decoded.
using Command = std::variant<
    pb::CommandStatementQuery, pb::CommandPreparedStatementQuery,
    pb::CommandStatementUpdate, pb::CommandPreparedStatementUpdate,
    pb::CommandStatementSubstraitPlan, pb::CommandStatementIngest, pb::CommandGetSqlInfo,
    pb::CommandGetXdbcTypeInfo, pb::CommandGetCatalogs, pb::CommandGetDbSchemas,
    pb::CommandGetTables, pb::CommandGetTableTypes, pb::CommandGetPrimaryKeys,
    pb::CommandGetExportedKeys, pb::CommandGetImportedKeys, pb::CommandGetCrossReference>;

/// \brief Whether `bytes` are a packed Any whose type URL is a Flight SQL one.
///
/// The server's dispatch: such a CMD descriptor goes to the SQL front end, anything
/// else (quiver's JSON commands start with '{', which no Any does) keeps its meaning.
/// Never fails; DecodeCommand then says what is wrong with a Flight SQL message.
bool IsFlightSqlMessage(std::string_view bytes);

/// \brief The message name of a Flight SQL Any ("CommandStatementQuery"), for errors
/// and logs; empty when `bytes` are not one.
std::string MessageName(std::string_view bytes);

/// \brief Decode the command of a CMD descriptor.
/// \return Invalid when the bytes are not an Any, the type URL is not a Flight SQL
///         command, or the message does not parse (truncated, wrong wire types,
///         invalid UTF-8 in a string).
arrow::Result<Command> DecodeCommand(std::string_view bytes);

/// \brief Decode an Any that must hold exactly the message type `M` (a ticket, an
/// action body). \return Invalid otherwise, naming the type expected and found.
template <typename M>
arrow::Result<M> DecodeAs(std::string_view bytes);

/// \brief DecodeAs for any message: `message` says the type expected and receives it
/// (unknown fields are left for the caller to check).
arrow::Status DecodeInto(std::string_view bytes, google::protobuf::MessageLite* message);

/// \brief Invalid when a decoded message kept fields it does not declare (unknown
/// numbers, or declared ones sent with another wire type): strict decoding.
arrow::Status CheckNoUnknownFields(const google::protobuf::UnknownFieldSet& unknown,
                                   std::string_view name);

template <typename M>
arrow::Result<M> DecodeAs(std::string_view bytes) {
  M message;
  ARROW_RETURN_NOT_OK(DecodeInto(bytes, &message));
  ARROW_RETURN_NOT_OK(CheckNoUnknownFields(
      message.GetReflection()->GetUnknownFields(message), message.GetTypeName()));
  return message;
}

/// \brief Pack `message` in an Any (type URL from its full name).
std::string Pack(const google::protobuf::MessageLite& message);

/// \brief The name of a command's message, as in its type URL.
std::string_view CommandName(const Command& command);

}  // namespace quiver::flightsql
