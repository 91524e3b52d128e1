// DoGet tickets: server::ParseTicket on arbitrary bytes. An accepted ticket names a
// valid dataset, and the ticket minted for it (its version, and for selective tickets
// the columns, filter, limit, compression and row groups) leads back to it.

#include <cstdio>

#include "quiver/server/dataset_addressing.h"

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto request = quiver::server::ParseTicket(quiver::fuzz::AsText(data, size));
  if (request.ok()) {
    auto valid = quiver::store::DatasetName::Parse(request->name.ToString());
    QUIVER_FUZZ_CHECK(valid.ok() && *valid == request->name);
    int64_t version = request->version.value_or(1);
    if (request->read.selective()) {
      // A selective ticket re-minted says the same.
      QUIVER_FUZZ_CHECK(request->version.has_value());
      auto minted = quiver::server::MintTicket(request->name, version, request->read);
      auto back = quiver::server::ParseTicket(minted.ticket);
      QUIVER_FUZZ_CHECK(back.ok() && back->name == request->name);
      QUIVER_FUZZ_CHECK(back->version == version);
      QUIVER_FUZZ_CHECK(back->read.columns == request->read.columns);
      QUIVER_FUZZ_CHECK(back->read.filter == request->read.filter);
      QUIVER_FUZZ_CHECK(back->read.limit == request->read.limit);
      QUIVER_FUZZ_CHECK(back->read.compression == request->read.compression);
      QUIVER_FUZZ_CHECK(back->read.row_groups == request->read.row_groups);
      QUIVER_FUZZ_CHECK(!back->read.endpoints);
    } else if (version >= 0) {
      auto minted = quiver::server::MintTicket(request->name, version);
      auto back = quiver::server::ParseTicket(minted.ticket);
      QUIVER_FUZZ_CHECK(back.ok() && back->name == request->name);
      QUIVER_FUZZ_CHECK(back->version == version);
    }
  }
  return 0;
}
