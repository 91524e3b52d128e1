#include "quiver/common/unique_name.h"

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <random>

namespace quiver {

std::string UniqueName(std::string_view prefix, std::string_view suffix) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  char middle[48];
  std::snprintf(middle, sizeof(middle), "%016" PRIx64 "-%" PRIu64, rng(),
                counter.fetch_add(1, std::memory_order_relaxed));
  std::string out;
  out.reserve(prefix.size() + sizeof(middle) + suffix.size());
  out.append(prefix).append(middle).append(suffix);
  return out;
}

}  // namespace quiver
