// Manifests (the versioned store's JSON files) as read at catalog load:
// DecodeManifest on arbitrary bytes. An accepted manifest encodes back to JSON that
// decodes to the same manifest (as far as its encoding goes: same bytes again).

#include <cstdio>

#include "quiver/store/model/manifest.h"

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto manifest = quiver::store::DecodeManifest(quiver::fuzz::AsText(data, size));
  if (!manifest.ok()) return 0;
  auto encoded = quiver::store::EncodeManifest(*manifest);
  QUIVER_FUZZ_CHECK(encoded.ok());
  auto again = quiver::store::DecodeManifest(*encoded);
  QUIVER_FUZZ_CHECK(again.ok());
  auto encoded_again = quiver::store::EncodeManifest(*again);
  QUIVER_FUZZ_CHECK(encoded_again.ok() && *encoded_again == *encoded);
  return 0;
}
