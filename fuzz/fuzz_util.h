#pragma once

/// \file
/// Helpers shared by the libFuzzer targets of quiver (see docs/reliability.md).

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace quiver::fuzz {

/// \brief The bytes libFuzzer hands a target, as a string_view.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// \brief Abort (a finding for libFuzzer) when an invariant does not hold.
#define QUIVER_FUZZ_CHECK(condition)                                                    \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #condition, __FILE__, \
                   __LINE__);                                                           \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

/// \brief A directory for this fuzzing process, removed at a normal exit: below
/// $QUIVER_FUZZ_SCRATCH when set (scripts/fuzz.sh sets it and removes it afterwards,
/// since an aborted run leaves its directory), else in /dev/shm when it exists.
class ScratchDir {
 public:
  ScratchDir() {
    const char* scratch = std::getenv("QUIVER_FUZZ_SCRATCH");
    std::filesystem::path base =
        scratch != nullptr && scratch[0] != '\0' ? std::filesystem::path(scratch)
        : std::filesystem::exists("/dev/shm")    ? std::filesystem::path("/dev/shm")
                                                 : std::filesystem::temp_directory_path();
    std::string pattern = (base / "quiver-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace quiver::fuzz
