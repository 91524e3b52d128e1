#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include <arrow/result.h>

namespace quiver::auth {

/// \brief Limits on the work logins may cost.
struct LoginGuardOptions {
  /// Password verifications (argon2id: CPU and mem_limit bytes each) run at once.
  int max_concurrent = 2;
  /// How long a login waits for a verification slot before UNAVAILABLE.
  std::chrono::milliseconds max_wait = std::chrono::seconds(5);
  /// Failed logins of one user name before it is locked out for a while...
  int user_free_failures = 5;
  /// ...and for one client address (which may try many names).
  int peer_free_failures = 20;
  /// Lock-out once that many failures are reached, doubled after each further
  /// failure, capped at max_delay.
  std::chrono::milliseconds base_delay = std::chrono::seconds(1);
  std::chrono::milliseconds max_delay = std::chrono::minutes(5);
  /// A name or address with no failure for this long is forgotten.
  std::chrono::milliseconds forget_after = std::chrono::minutes(15);
  /// At most this many names and addresses are tracked (oldest forgotten first).
  size_t max_tracked = 10000;

  static LoginGuardOptions Defaults() { return {}; }
};

/// \brief Bounds the CPU and memory that logins can take: a semaphore on password
/// verifications, and per-user and per-address exponential lock-out after repeated
/// failures (a locked-out attempt is refused before any hashing). State is bounded by
/// max_tracked. Thread-safe.
class LoginGuard {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginGuard(LoginGuardOptions options);

  /// \brief A verification slot, released on destruction.
  class Slot {
   public:
    explicit Slot(LoginGuard* guard) : guard_(guard) {}
    Slot(Slot&& other) noexcept : guard_(other.guard_) { other.guard_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    LoginGuard* guard_;
  };

  /// \brief Whether `user` and `peer` may try to log in now.
  /// \return OK, or CapacityError saying when to retry.
  arrow::Status CheckAllowed(const std::string& user, const std::string& peer);

  /// \brief Wait (up to max_wait) for a verification slot.
  /// \return the slot, or CapacityError when logins are saturated.
  arrow::Result<Slot> Acquire();

  void RecordFailure(const std::string& user, const std::string& peer);
  void RecordSuccess(const std::string& user, const std::string& peer);

  /// \brief Names and addresses currently tracked (for tests and metrics).
  size_t tracked() const;

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last_failure;
    Clock::time_point locked_until;
  };

  // REQUIRES: mutex_ held.
  void Fail(const std::string& key, int free_failures, Clock::time_point now);
  void Purge(Clock::time_point now);

  LoginGuardOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable slot_free_;
  int in_use_ = 0;
  std::map<std::string, Entry> entries_;
};

}  // namespace quiver::auth
