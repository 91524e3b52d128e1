#pragma once

/// \file
/// Names no other writer picks: temporary files, new parts, probe objects. Several
/// processes and nodes may write beside each other, so a name is random (64 bits
/// from thread_random.h) and, within a process,
/// also carries a counter so that two calls never return the same name.

#include <string>
#include <string_view>

namespace quiver {

/// \brief `prefix`, 16 random hex digits, '-', a process-wide counter, `suffix`:
/// UniqueName(".tmp-") -> ".tmp-3f9c0a4e12b7d655-0". Thread-safe.
std::string UniqueName(std::string_view prefix, std::string_view suffix = {});

}  // namespace quiver
