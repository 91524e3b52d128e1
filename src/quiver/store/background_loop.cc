#include <utility>

#include <pthread.h>
#include <signal.h>

#include "quiver/store/background_loop_internal.h"

namespace quiver::store {

BackgroundLoop::BackgroundLoop(std::optional<std::chrono::milliseconds> interval,
                               std::function<void()> step)
    : interval_(interval), step_(std::move(step)) {
  thread_ = std::thread([this] { Run(); });
}

BackgroundLoop::~BackgroundLoop() { Stop(); }

void BackgroundLoop::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void BackgroundLoop::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundLoop::Run() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  auto next = std::chrono::steady_clock::now();
  if (interval_) next += *interval_;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto ready = [&] { return stopping_.load() || woken_; };
    if (interval_) {
      cv_.wait_until(lock, next, ready);
    } else {
      cv_.wait(lock, ready);
    }
    if (stopping_) break;
    const bool due = interval_ && std::chrono::steady_clock::now() >= next;
    if (!woken_ && !due) continue;  // spurious wake-up
    woken_ = false;
    lock.unlock();
    step_();
    lock.lock();
    if (due) next = std::chrono::steady_clock::now() + *interval_;
  }
}

}  // namespace quiver::store
