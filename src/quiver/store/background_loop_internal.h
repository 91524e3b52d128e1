#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace quiver::store {

/// \brief One background thread of the store: runs `step` every `interval` (first
/// one `interval` after start) and whenever Wake() is called, until stopped.
///
/// Process signals are the application's business (graceful shutdown): the thread
/// blocks them all, whenever the loop is made. Thread-safe. The destructor stops the
/// loop and joins the thread, so it must not run on the loop's own thread, and
/// everything `step` uses must outlive the loop.
class BackgroundLoop {
 public:
  /// \param interval how often `step` runs unasked; nullopt: only when woken.
  BackgroundLoop(std::optional<std::chrono::milliseconds> interval,
                 std::function<void()> step);
  ~BackgroundLoop();
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  /// \brief Run `step` soon (once, however often it is called before it runs).
  void Wake();

  /// \brief Stop: a running `step` finishes, no other starts; joins the thread.
  /// Idempotent.
  void Stop();

  /// \brief Whether Stop() was called (for long steps to give up early).
  bool stopping() const { return stopping_.load(); }

 private:
  void Run();

  const std::optional<std::chrono::milliseconds> interval_;
  const std::function<void()> step_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace quiver::store
