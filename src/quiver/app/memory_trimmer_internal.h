#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace quiver::app {

/// \brief Gives glibc's free heap memory back to the system while quiverd runs.
///
/// gRPC receives each message in many small slices from malloc; once freed they stay in
/// glibc's arenas (free but resident), interleaved with live allocations, so the heap
/// cannot shrink from its top and the resident set creeps up with every large message.
/// Every `period` the trimmer asks glibc how much of its heap is free and, past
/// `min_free_bytes`, calls malloc_trim(0), which returns the free pages in the middle of
/// the arenas too. Start it after the signal mask is set (its thread inherits it).
class MemoryTrimmer {
 public:
  MemoryTrimmer(std::chrono::milliseconds period, int64_t min_free_bytes);
  ~MemoryTrimmer();

  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace quiver::app
