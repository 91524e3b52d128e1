// The users file parser: ReadUsersFile on arbitrary bytes. A file that is accepted is
// written back (WriteUsersFile) and reads back to the same users.

#include <cstdio>
#include <fstream>

#include <sys/stat.h>

#include "quiver/auth/users_file.h"

#include "fuzz_util.h"

using quiver::auth::ReadUsersFile;
using quiver::auth::WriteUsersFile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static quiver::fuzz::ScratchDir dir;
  const std::string path = dir.path() + "/users.json";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ::chmod(path.c_str(), 0600);
  auto users = ReadUsersFile(path);
  if (!users.ok()) return 0;
  const std::string copy = dir.path() + "/copy.json";
  QUIVER_FUZZ_CHECK(WriteUsersFile(copy, *users).ok());
  auto again = ReadUsersFile(copy);
  QUIVER_FUZZ_CHECK(again.ok() && again->size() == users->size());
  for (size_t i = 0; i < users->size(); ++i) {
    const auto& a = (*users)[i];
    const auto& b = (*again)[i];
    QUIVER_FUZZ_CHECK(a.name == b.name && a.role == b.role &&
                      a.password_hash == b.password_hash &&
                      a.grants.size() == b.grants.size());
  }
  return 0;
}
