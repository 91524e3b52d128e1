// Dataset names: DatasetName::Parse and DatasetName::Make on arbitrary bytes. A name
// that is accepted must stay below the store's root and round-trip exactly.

#include <cstdio>

#include "quiver/store/model/dataset_name.h"

#include "fuzz_util.h"

using quiver::store::DatasetName;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = quiver::fuzz::AsText(data, size);
  auto parsed = DatasetName::Parse(text);
  if (parsed.ok()) {
    const auto& segments = parsed->segments();
    QUIVER_FUZZ_CHECK(!segments.empty());
    QUIVER_FUZZ_CHECK(segments.size() <= DatasetName::kMaxSegments);
    QUIVER_FUZZ_CHECK(parsed->ToString().size() <= DatasetName::kMaxNameBytes);
    for (const auto& segment : segments) {
      QUIVER_FUZZ_CHECK(!segment.empty() && segment[0] != '.');
      QUIVER_FUZZ_CHECK(segment.find('/') == std::string::npos);
      QUIVER_FUZZ_CHECK(segment.find('\\') == std::string::npos);
      QUIVER_FUZZ_CHECK(segment.find('\0') == std::string::npos);
    }
    auto again = DatasetName::Parse(parsed->ToString());
    QUIVER_FUZZ_CHECK(again.ok() && *again == *parsed);
    auto made = DatasetName::Make(segments);
    QUIVER_FUZZ_CHECK(made.ok() && *made == *parsed);
  }
  // The same bytes as segments split at NUL (how PATH descriptors arrive).
  std::vector<std::string> segments;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\0') {
      segments.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  auto made = DatasetName::Make(segments);
  if (made.ok()) {
    QUIVER_FUZZ_CHECK(made->segments() == segments);
    auto parsed_back = DatasetName::Parse(made->ToString());
    QUIVER_FUZZ_CHECK(parsed_back.ok() && *parsed_back == *made);
  }
  return 0;
}
