// Shared by every fuzz target: silence the log (the store warns about each file it
// skips, which would slow fuzzing down by orders of magnitude).

#include <spdlog/spdlog.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}
