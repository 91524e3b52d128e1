#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace quiver::app {

/// \brief Runs `on_signal` once on a dedicated thread when SIGINT or SIGTERM arrives,
/// and `on_reload` (when given) each time SIGHUP arrives.
///
/// The constructor blocks these signals in the calling thread, so it must run before
/// any other thread starts (threads inherit the mask). The destructor stops the
/// watcher if no shutdown signal came.
class ShutdownSignals {
 public:
  explicit ShutdownSignals(std::function<void(int)> on_signal,
                           std::function<void()> on_reload = nullptr);
  ~ShutdownSignals();

  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  std::atomic<bool> fired_{false};
  std::thread watcher_;
};

}  // namespace quiver::app
