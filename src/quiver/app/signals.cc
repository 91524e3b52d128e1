#include <pthread.h>
#include <signal.h>

#include "quiver/app/signals_internal.h"

namespace quiver::app {
namespace {

sigset_t WatchedSet(bool reload) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // internal: wakes the watcher at destruction
  if (reload) sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal,
                                 std::function<void()> on_reload) {
  sigset_t set = WatchedSet(on_reload != nullptr);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread(
      [this, set, on_signal = std::move(on_signal), on_reload = std::move(on_reload)] {
        int signal_number = 0;
        while (sigwait(&set, &signal_number) == 0 && signal_number != SIGUSR2) {
          if (signal_number == SIGHUP) {
            on_reload();
            continue;
          }
          fired_ = true;
          on_signal(signal_number);
          return;
        }
      });
}

ShutdownSignals::~ShutdownSignals() {
  if (!fired_) pthread_kill(watcher_.native_handle(), SIGUSR2);
  watcher_.join();
}

}  // namespace quiver::app
