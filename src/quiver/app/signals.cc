#include <pthread.h>
#include <signal.h>

#include "quiver/app/signals_internal.h"

namespace quiver::app {
namespace {

sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // internal: wakes the watcher at destruction
  return set;
}

}  // namespace

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal) {
  sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this, set, on_signal = std::move(on_signal)] {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) == 0 && signal_number != SIGUSR2) {
      fired_ = true;
      on_signal(signal_number);
    }
  });
}

ShutdownSignals::~ShutdownSignals() {
  if (!fired_) pthread_kill(watcher_.native_handle(), SIGUSR2);
  watcher_.join();
}

}  // namespace quiver::app
