#include <malloc.h>

#include "quiver/app/memory_trimmer_internal.h"

namespace quiver::app {

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds period, int64_t min_free_bytes) {
  thread_ = std::thread([this, period, min_free_bytes] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      struct mallinfo2 info = mallinfo2();
      if (static_cast<int64_t>(info.fordblks) >= min_free_bytes) malloc_trim(0);
    }
  });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace quiver::app
