// The JSON request vocabulary: CMD descriptors (GetFlightInfo/GetSchema and DoPut
// uses) and dataset action bodies, on arbitrary bytes. An accepted request names a
// valid dataset.

#include <cstdio>

#include <arrow/flight/types.h>

#include "quiver/server/dataset_addressing.h"

#include "fuzz_util.h"

using quiver::server::DescriptorUse;

namespace {

void CheckName(const quiver::store::DatasetName& name) {
  auto valid = quiver::store::DatasetName::Parse(name.ToString());
  QUIVER_FUZZ_CHECK(valid.ok() && *valid == name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(quiver::fuzz::AsText(data, size));
  auto command = arrow::flight::FlightDescriptor::Command(text);
  for (auto use : {DescriptorUse::kRead, DescriptorUse::kWrite}) {
    auto request = quiver::server::ParseDescriptor(command, use);
    if (request.ok()) CheckName(request->name);
  }
  for (bool with_version : {false, true}) {
    auto body = quiver::server::ParseActionBody(text, "fuzz", with_version);
    if (body.ok()) CheckName(body->name);
  }
  return 0;
}
