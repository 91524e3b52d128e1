// The Flight SQL codec on well-formed and hostile bytes: every refusal is Invalid
// with a message naming the problem, never a crash.

#include "quiver/flightsql/command_codec.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "quiver/flightsql/any_envelope.pb.h"

#include "testing/assert.h"

// The status of `expr` (a Result) is Invalid and its message contains `text`.
#define EXPECT_INVALID_WITH(text, expr)                                       \
  do {                                                                        \
    arrow::Status _st = (expr).status();                                      \
    EXPECT_TRUE(_st.IsInvalid()) << _st.ToString();                           \
    EXPECT_NE(_st.message().find(text), std::string::npos) << _st.ToString(); \
  } while (0)

namespace quiver::flightsql {
namespace {

std::string Envelope(const std::string& type_url, const std::string& value) {
  AnyEnvelope any;
  any.set_type_url(type_url);
  any.set_value(value);
  return any.SerializeAsString();
}

TEST(CommandCodec, StatementQueryRoundTrips) {
  pb::CommandStatementQuery query;
  query.set_query("SELECT 1");
  std::string bytes = Pack(query);
  EXPECT_TRUE(IsFlightSqlMessage(bytes));
  EXPECT_EQ(MessageName(bytes), "CommandStatementQuery");
  ASSERT_OK_AND_ASSIGN(Command command, DecodeCommand(bytes));
  ASSERT_TRUE(std::holds_alternative<pb::CommandStatementQuery>(command));
  EXPECT_EQ(std::get<pb::CommandStatementQuery>(command).query(), "SELECT 1");
  EXPECT_EQ(CommandName(command), "CommandStatementQuery");
}

TEST(CommandCodec, EveryMetadataCommandDecodes) {
  pb::CommandGetTables tables;
  tables.set_include_schema(true);
  tables.set_table_name_filter_pattern("sales%");
  tables.add_table_types("TABLE");
  ASSERT_OK_AND_ASSIGN(Command command, DecodeCommand(Pack(tables)));
  const auto& decoded = std::get<pb::CommandGetTables>(command);
  EXPECT_TRUE(decoded.include_schema());
  EXPECT_EQ(decoded.table_name_filter_pattern(), "sales%");
  EXPECT_FALSE(decoded.has_catalog());

  ASSERT_OK_AND_ASSIGN(command, DecodeCommand(Pack(pb::CommandGetCatalogs())));
  EXPECT_EQ(CommandName(command), "CommandGetCatalogs");
  pb::CommandGetSqlInfo info;
  info.add_info(0);
  info.add_info(504);
  ASSERT_OK_AND_ASSIGN(command, DecodeCommand(Pack(info)));
  EXPECT_EQ(std::get<pb::CommandGetSqlInfo>(command).info_size(), 2);
}

TEST(CommandCodec, JsonCommandsAreNotFlightSql) {
  EXPECT_FALSE(IsFlightSqlMessage(R"({"dataset": "a", "version": 1})"));
  EXPECT_FALSE(IsFlightSqlMessage(""));
  EXPECT_FALSE(IsFlightSqlMessage("sales/2024"));
}

TEST(CommandCodec, WrongTypeUrlIsRefused) {
  std::string bytes = Envelope("type.googleapis.com/google.protobuf.Empty", "");
  EXPECT_FALSE(IsFlightSqlMessage(bytes));
  EXPECT_INVALID_WITH(("is not under"), DecodeCommand(bytes));
  // The prefix alone names no message.
  EXPECT_INVALID_WITH(("is not under"),
                      DecodeCommand(Envelope(std::string(kTypeUrlPrefix), "")));
  EXPECT_INVALID_WITH(
      ("unknown Flight SQL command 'CommandDropEverything'"),
      DecodeCommand(Envelope(std::string(kTypeUrlPrefix) + "CommandDropEverything", "")));
}

TEST(CommandCodec, NonPrintableTypeUrlIsNotEchoed) {
  std::string url = std::string(kTypeUrlPrefix) + "Bad\n\x01name";
  auto result = DecodeCommand(Envelope(url, ""));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().find('\n'), std::string::npos);
}

TEST(CommandCodec, TruncatedMessagesAreRefused) {
  pb::CommandStatementQuery query;
  query.set_query("SELECT * FROM \"sales/2024\"");
  std::string bytes = Pack(query);
  // Cut after the whole type URL field, what is left is a valid Any with no value (an
  // empty query, which the engine refuses); cut anywhere else, it is malformed.
  size_t boundary =
      2 + std::string(kTypeUrlPrefix).size() + strlen("CommandStatementQuery");
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    auto result = DecodeCommand(bytes.substr(0, cut));
    if (cut == boundary) {
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(std::get<pb::CommandStatementQuery>(*result).query(), "");
      continue;
    }
    EXPECT_FALSE(result.ok()) << "cut at " << cut;
    if (!result.ok()) {
      EXPECT_TRUE(result.status().IsInvalid()) << result.status().ToString();
    }
  }
  // A well-formed envelope around a truncated value.
  std::string value = query.SerializeAsString();
  EXPECT_INVALID_WITH(
      ("malformed Flight SQL CommandStatementQuery"),
      DecodeCommand(Envelope(std::string(kTypeUrlPrefix) + "CommandStatementQuery",
                             value.substr(0, value.size() - 3))));
}

TEST(CommandCodec, WrongWireTypeIsRefused) {
  // Field 1 (query, a string) sent as a varint.
  std::string value("\x08\x05", 2);
  EXPECT_INVALID_WITH(("wrong wire type"),
                      DecodeCommand(Envelope(
                          std::string(kTypeUrlPrefix) + "CommandStatementQuery", value)));
  // A field number the message does not have.
  pb::TicketStatementQuery ticket;
  ticket.set_statement_handle("h");
  std::string extra = ticket.SerializeAsString() + std::string("\x10\x01", 2);
  EXPECT_INVALID_WITH(("does not know"),
                      DecodeAs<pb::TicketStatementQuery>(Envelope(
                          std::string(kTypeUrlPrefix) + "TicketStatementQuery", extra)));
}

TEST(CommandCodec, InvalidUtf8InAStringIsRefused) {
  std::string value("\x0a\x02\xc3\x28", 4);  // query = an invalid two-byte sequence
  EXPECT_INVALID_WITH(("malformed"),
                      DecodeCommand(Envelope(
                          std::string(kTypeUrlPrefix) + "CommandStatementQuery", value)));
}

TEST(CommandCodec, OversizedMessagesAreRefused) {
  std::string huge(kMaxMessageBytes + 1, 'x');
  EXPECT_INVALID_WITH(("the limit is"), DecodeCommand(huge));
}

TEST(CommandCodec, DecodeAsChecksTheType) {
  pb::TicketStatementQuery ticket;
  ticket.set_statement_handle("abc");
  std::string bytes = Pack(ticket);
  ASSERT_OK_AND_ASSIGN(auto back, DecodeAs<pb::TicketStatementQuery>(bytes));
  EXPECT_EQ(back.statement_handle(), "abc");
  EXPECT_INVALID_WITH(("expected a Flight SQL ActionClosePreparedStatementRequest, got "
                       "'TicketStatementQuery'"),
                      DecodeAs<pb::ActionClosePreparedStatementRequest>(bytes));
  EXPECT_INVALID_WITH(("packed google.protobuf.Any"),
                      DecodeAs<pb::TicketStatementQuery>("\xff\xff"));
}

}  // namespace
}  // namespace quiver::flightsql
