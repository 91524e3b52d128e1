#include "quiver/flightsql/command_codec.h"

#include <array>
#include <utility>

#include <arrow/status.h>

#include "quiver/flightsql/any_envelope.pb.h"

namespace quiver::flightsql {
namespace {

std::string Printable(std::string_view text) {
  constexpr size_t kMax = 80;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > kMax) out += "...";
  return out;
}

// Parses the envelope; the type URL is checked by the callers.
arrow::Result<AnyEnvelope> ParseEnvelope(std::string_view bytes) {
  if (bytes.size() > kMaxMessageBytes) {
    return arrow::Status::Invalid("Flight SQL message of ", bytes.size(),
                                  " bytes: the limit is ", kMaxMessageBytes);
  }
  AnyEnvelope envelope;
  if (bytes.empty() ||
      !envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !envelope.GetReflection()->GetUnknownFields(envelope).empty()) {
    return arrow::Status::Invalid(
        "not a Flight SQL message: expected a packed google.protobuf.Any");
  }
  return envelope;
}

arrow::Result<std::string_view> SqlMessageName(const AnyEnvelope& envelope) {
  std::string_view url = envelope.type_url();
  if (url.substr(0, kTypeUrlPrefix.size()) != kTypeUrlPrefix ||
      url.size() == kTypeUrlPrefix.size()) {
    return arrow::Status::Invalid("not a Flight SQL message: type URL '", Printable(url),
                                  "' is not under ", kTypeUrlPrefix);
  }
  return url.substr(kTypeUrlPrefix.size());
}

arrow::Status ParseValue(const AnyEnvelope& envelope, std::string_view name,
                         google::protobuf::MessageLite* message) {
  const std::string& value = envelope.value();
  if (!message->ParseFromString(value)) {
    return arrow::Status::Invalid("malformed Flight SQL ", name,
                                  ": truncated or invalid protobuf (", value.size(),
                                  " bytes)");
  }
  return arrow::Status::OK();
}

template <typename M>
arrow::Result<Command> ParseAs(const AnyEnvelope& envelope, std::string_view name) {
  M message;
  ARROW_RETURN_NOT_OK(ParseValue(envelope, name, &message));
  ARROW_RETURN_NOT_OK(
      CheckNoUnknownFields(message.GetReflection()->GetUnknownFields(message), name));
  return Command(std::move(message));
}

using Parser = arrow::Result<Command> (*)(const AnyEnvelope&, std::string_view);

struct Entry {
  std::string_view name;
  Parser parse;
};

// One row per command: the name is the message's, as its type URL spells it.
template <typename M>
constexpr Entry Row(std::string_view name) {
  return {name, &ParseAs<M>};
}

constexpr std::array kCommands = {
    Row<pb::CommandStatementQuery>("CommandStatementQuery"),
    Row<pb::CommandPreparedStatementQuery>("CommandPreparedStatementQuery"),
    Row<pb::CommandStatementUpdate>("CommandStatementUpdate"),
    Row<pb::CommandPreparedStatementUpdate>("CommandPreparedStatementUpdate"),
    Row<pb::CommandStatementSubstraitPlan>("CommandStatementSubstraitPlan"),
    Row<pb::CommandStatementIngest>("CommandStatementIngest"),
    Row<pb::CommandGetSqlInfo>("CommandGetSqlInfo"),
    Row<pb::CommandGetXdbcTypeInfo>("CommandGetXdbcTypeInfo"),
    Row<pb::CommandGetCatalogs>("CommandGetCatalogs"),
    Row<pb::CommandGetDbSchemas>("CommandGetDbSchemas"),
    Row<pb::CommandGetTables>("CommandGetTables"),
    Row<pb::CommandGetTableTypes>("CommandGetTableTypes"),
    Row<pb::CommandGetPrimaryKeys>("CommandGetPrimaryKeys"),
    Row<pb::CommandGetExportedKeys>("CommandGetExportedKeys"),
    Row<pb::CommandGetImportedKeys>("CommandGetImportedKeys"),
    Row<pb::CommandGetCrossReference>("CommandGetCrossReference"),
};
static_assert(kCommands.size() == std::variant_size_v<Command>);

}  // namespace

arrow::Status CheckNoUnknownFields(const google::protobuf::UnknownFieldSet& unknown,
                                   std::string_view name) {
  if (unknown.empty()) return arrow::Status::OK();
  return arrow::Status::Invalid("malformed Flight SQL ", name,
                                ": fields this server does not know, or known fields "
                                "with the wrong wire type");
}

bool IsFlightSqlMessage(std::string_view bytes) { return !MessageName(bytes).empty(); }

std::string MessageName(std::string_view bytes) {
  auto envelope = ParseEnvelope(bytes);
  if (!envelope.ok()) return {};
  auto name = SqlMessageName(*envelope);
  return name.ok() ? std::string(*name) : std::string();
}

arrow::Result<Command> DecodeCommand(std::string_view bytes) {
  ARROW_ASSIGN_OR_RAISE(AnyEnvelope envelope, ParseEnvelope(bytes));
  ARROW_ASSIGN_OR_RAISE(std::string_view name, SqlMessageName(envelope));
  for (const Entry& entry : kCommands) {
    if (entry.name == name) return entry.parse(envelope, name);
  }
  return arrow::Status::Invalid("unknown Flight SQL command '", Printable(name), "'");
}

arrow::Status DecodeInto(std::string_view bytes, google::protobuf::MessageLite* message) {
  ARROW_ASSIGN_OR_RAISE(AnyEnvelope envelope, ParseEnvelope(bytes));
  ARROW_ASSIGN_OR_RAISE(std::string_view name, SqlMessageName(envelope));
  std::string expected = message->GetTypeName();
  std::string_view want = expected;
  want.remove_prefix(kTypeUrlPrefix.size() - kTypeUrlHost.size());
  if (name != want) {
    return arrow::Status::Invalid("expected a Flight SQL ", want, ", got '",
                                  Printable(name), "'");
  }
  return ParseValue(envelope, name, message);
}

std::string Pack(const google::protobuf::MessageLite& message) {
  AnyEnvelope envelope;
  envelope.set_type_url(std::string(kTypeUrlHost) + message.GetTypeName());
  envelope.set_value(message.SerializeAsString());
  return envelope.SerializeAsString();
}

std::string_view CommandName(const Command& command) {
  return kCommands[command.index()].name;
}

}  // namespace quiver::flightsql
