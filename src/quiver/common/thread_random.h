#pragma once

/// \file
/// Fast random bits for identifiers that must not collide (unique names, trace and
/// span ids): a 64-bit Mersenne Twister per thread, seeded by std::random_device.
/// Not for secrets (keys, tokens): those come from libsodium.

#include <cstdint>

namespace quiver {

/// \brief 64 random bits from the calling thread's generator. Thread-safe.
uint64_t ThreadRandom64();

}  // namespace quiver
