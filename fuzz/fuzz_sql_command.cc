// Flight SQL commands, tickets and action bodies: flightsql::DecodeCommand and
// DecodeAs on arbitrary bytes. Anything accepted packs back into bytes that decode
// to the same command; everything else is refused with Invalid, never a crash.

#include <string>

#include "quiver/flightsql/command_codec.h"

#include "fuzz_util.h"

namespace fs = quiver::flightsql;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = quiver::fuzz::AsText(data, size);
  auto command = fs::DecodeCommand(bytes);
  if (command.ok()) {
    QUIVER_FUZZ_CHECK(fs::IsFlightSqlMessage(bytes));
    std::string name(fs::CommandName(*command));
    QUIVER_FUZZ_CHECK(fs::MessageName(bytes) == name);
    std::string packed = std::visit([](const auto& m) { return fs::Pack(m); }, *command);
    auto again = fs::DecodeCommand(packed);
    QUIVER_FUZZ_CHECK(again.ok() && fs::CommandName(*again) == name);
  } else {
    QUIVER_FUZZ_CHECK(command.status().IsInvalid());
  }
  auto ticket = fs::DecodeAs<fs::pb::TicketStatementQuery>(bytes);
  QUIVER_FUZZ_CHECK(ticket.ok() || ticket.status().IsInvalid());
  auto action = fs::DecodeAs<fs::pb::ActionCreatePreparedStatementRequest>(bytes);
  QUIVER_FUZZ_CHECK(action.ok() || action.status().IsInvalid());
  return 0;
}
