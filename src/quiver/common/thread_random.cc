#include "quiver/common/thread_random.h"

#include <random>

namespace quiver {

uint64_t ThreadRandom64() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  return rng();
}

}  // namespace quiver
