// DoGet tickets: server::NameFromTicket on arbitrary bytes. An accepted ticket names a
// valid dataset, and the ticket minted for it leads back to it.

#include <cstdio>

#include "quiver/server/dataset_addressing.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto name = quiver::server::NameFromTicket(quiver::fuzz::AsText(data, size));
  if (name.ok()) {
    auto valid = quiver::store::DatasetName::Parse(name->ToString());
    QUIVER_FUZZ_CHECK(valid.ok() && *valid == *name);
    auto minted = quiver::server::MintTicket(*name);
    auto back = quiver::server::NameFromTicket(minted.ticket);
    QUIVER_FUZZ_CHECK(back.ok() && *back == *name);
  }
  return 0;
}
