#include "quiver/common/unique_name.h"

#include <atomic>
#include <cinttypes>
#include <cstdio>

#include "quiver/common/thread_random.h"

namespace quiver {

std::string UniqueName(std::string_view prefix, std::string_view suffix) {
  static std::atomic<uint64_t> counter{0};
  char middle[48];
  std::snprintf(middle, sizeof(middle), "%016" PRIx64 "-%" PRIu64, ThreadRandom64(),
                counter.fetch_add(1, std::memory_order_relaxed));
  std::string out;
  out.reserve(prefix.size() + sizeof(middle) + suffix.size());
  out.append(prefix).append(middle).append(suffix);
  return out;
}

}  // namespace quiver
