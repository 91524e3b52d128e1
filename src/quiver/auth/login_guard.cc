#include "quiver/auth/login_guard.h"

#include <algorithm>

#include <arrow/status.h>

namespace quiver::auth {
namespace {
std::string UserKey(const std::string& user) { return "u:" + user; }
std::string PeerKey(const std::string& peer) { return "p:" + peer; }
}  // namespace

LoginGuard::LoginGuard(LoginGuardOptions options) : options_(std::move(options)) {}

LoginGuard::Slot::~Slot() {
  if (guard_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(guard_->mutex_);
    --guard_->in_use_;
  }
  guard_->slot_free_.notify_one();
}

arrow::Status LoginGuard::CheckAllowed(const std::string& user, const std::string& peer) {
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point until = now;
  for (const auto& key : {UserKey(user), PeerKey(peer)}) {
    auto it = entries_.find(key);
    if (it != entries_.end()) until = std::max(until, it->second.locked_until);
  }
  if (until > now) {
    auto seconds = std::chrono::ceil<std::chrono::seconds>(until - now).count();
    return arrow::Status::CapacityError("Too many failed logins; retry in ", seconds,
                                        " s");
  }
  return arrow::Status::OK();
}

arrow::Result<LoginGuard::Slot> LoginGuard::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!slot_free_.wait_for(lock, options_.max_wait,
                           [this] { return in_use_ < options_.max_concurrent; })) {
    return arrow::Status::CapacityError("Too many logins in progress; retry later");
  }
  ++in_use_;
  return Slot(this);
}

void LoginGuard::Fail(const std::string& key, int free_failures, Clock::time_point now) {
  Entry& entry = entries_[key];
  entry.failures = std::min(entry.failures + 1, 1 << 20);
  entry.last_failure = now;
  int excess = entry.failures - free_failures + 1;
  if (excess > 0) {
    auto delay = options_.base_delay * (int64_t{1} << std::min(excess - 1, 30));
    entry.locked_until = now + std::min<Clock::duration>(delay, options_.max_delay);
  }
}

void LoginGuard::Purge(Clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    bool stale = now - it->second.last_failure > options_.forget_after &&
                 it->second.locked_until <= now;
    it = stale ? entries_.erase(it) : std::next(it);
  }
  while (entries_.size() > options_.max_tracked) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const auto& a, const auto& b) {
                                     return a.second.last_failure < b.second.last_failure;
                                   });
    entries_.erase(oldest);
  }
}

void LoginGuard::RecordFailure(const std::string& user, const std::string& peer) {
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  Fail(UserKey(user), options_.user_free_failures, now);
  Fail(PeerKey(peer), options_.peer_free_failures, now);
  if (entries_.size() > options_.max_tracked) Purge(now);
}

void LoginGuard::RecordSuccess(const std::string& user, const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(UserKey(user));
  auto it = entries_.find(PeerKey(peer));
  // One success does not clear an address that is guessing many names.
  if (it != entries_.end() && it->second.failures <= options_.peer_free_failures) {
    entries_.erase(it);
  }
}

size_t LoginGuard::tracked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace quiver::auth
