#include "quiver/auth/login_guard.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace quiver::auth {
namespace {

LoginGuardOptions FastOptions() {
  LoginGuardOptions options;
  options.user_free_failures = 3;
  options.peer_free_failures = 5;
  options.base_delay = std::chrono::seconds(1);
  options.max_delay = std::chrono::seconds(10);
  return options;
}

TEST(LoginGuardTest, UserIsLockedOutAfterFreeFailures) {
  LoginGuard guard(FastOptions());
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(guard.CheckAllowed("alice", "peer1").ok());
    guard.RecordFailure("alice", "peer1");
  }
  auto locked = guard.CheckAllowed("alice", "peer2");
  EXPECT_TRUE(locked.IsCapacityError()) << locked;
  // Another user from the same address is not locked yet.
  EXPECT_TRUE(guard.CheckAllowed("bob", "peer1").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(guard.CheckAllowed("alice", "peer2").ok());
}

TEST(LoginGuardTest, DelayDoubles) {
  LoginGuard guard(FastOptions());
  for (int i = 0; i < 3; ++i) guard.RecordFailure("alice", "p");
  EXPECT_FALSE(guard.CheckAllowed("alice", "p").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // Third failure: locked for 1 s, elapsed.
  EXPECT_TRUE(guard.CheckAllowed("alice", "p").ok());
  guard.RecordFailure("alice", "p");  // fourth: 2 s
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_FALSE(guard.CheckAllowed("alice", "p").ok());
}

TEST(LoginGuardTest, AddressGuessingManyNamesIsLockedOut) {
  LoginGuard guard(FastOptions());
  for (int i = 0; i < 5; ++i) guard.RecordFailure("user" + std::to_string(i), "attacker");
  EXPECT_TRUE(guard.CheckAllowed("someone-new", "attacker").IsCapacityError());
  EXPECT_TRUE(guard.CheckAllowed("someone-new", "friend").ok());
}

TEST(LoginGuardTest, SuccessClearsTheUser) {
  LoginGuard guard(FastOptions());
  for (int i = 0; i < 2; ++i) guard.RecordFailure("alice", "p");
  guard.RecordSuccess("alice", "p");
  for (int i = 0; i < 2; ++i) guard.RecordFailure("alice", "p");
  EXPECT_TRUE(guard.CheckAllowed("alice", "p").ok());
}

TEST(LoginGuardTest, TrackedStateIsBounded) {
  auto options = FastOptions();
  options.max_tracked = 50;
  LoginGuard guard(options);
  for (int i = 0; i < 1000; ++i) {
    guard.RecordFailure("u" + std::to_string(i), "p" + std::to_string(i));
  }
  EXPECT_LE(guard.tracked(), 50u);
}

TEST(LoginGuardTest, ConcurrencyIsBounded) {
  auto options = FastOptions();
  options.max_concurrent = 2;
  options.max_wait = std::chrono::milliseconds(100);
  LoginGuard guard(options);
  std::atomic<int> running{0}, peak{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto slot = guard.Acquire();
      if (!slot.ok()) return;
      int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --running;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
  // Saturated: a third caller gives up after max_wait.
  auto a = guard.Acquire();
  auto b = guard.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto start = std::chrono::steady_clock::now();
  auto c = guard.Acquire();
  EXPECT_TRUE(c.status().IsCapacityError());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));
}

}  // namespace
}  // namespace quiver::auth
