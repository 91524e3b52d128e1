// main() of quiver_auth_tests, whose TLS and mTLS tests run gRPC over OpenSSL.
//
// After the last test, gRPC's threads may still be exiting while the process runs its
// exit handlers; OpenSSL's own (atexit) cleanup then frees state those threads still
// release: under load about one run in 60 of the TLS tests ended, after every test
// had passed, in "double free or corruption" inside a thread's exit. The tests are
// done by then, so this binary leaves without exit handlers. Under AddressSanitizer
// it exits normally, for the leak check (the race did not show there in 120 runs).
#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#define QUIVER_NORMAL_EXIT 1
#else
#define QUIVER_NORMAL_EXIT 0
#endif

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  int result = RUN_ALL_TESTS();
  if (QUIVER_NORMAL_EXIT) return result;
  std::fflush(nullptr);
  std::_Exit(result);
}
