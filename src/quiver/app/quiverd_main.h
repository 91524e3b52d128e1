#pragma once

namespace quiver::app {

/// \brief The whole of `quiverd`: parse flags, open the store, serve until SIGINT or
/// SIGTERM, then stop accepting calls, let in-flight calls end (up to a grace period)
/// and return the process exit code (0 on a clean stop).
int QuiverdMain(int argc, char** argv);

}  // namespace quiver::app
