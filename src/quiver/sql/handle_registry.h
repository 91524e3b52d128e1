#pragma once

/// \file
/// Server-side state named by opaque handles (statements waiting for their DoGet,
/// prepared statements), owned by the caller that made them.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

namespace quiver::sql {

/// \brief Entries of type T by random handle, each with its owner; a bounded number,
/// the ones idle longest expiring first. Thread-safe.
template <typename T>
class HandleRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  /// \param capacity entries kept at most (the least recently used goes first).
  /// \param idle_timeout an entry unused for this long is dropped.
  HandleRegistry(size_t capacity, Clock::duration idle_timeout)
      : capacity_(capacity), idle_timeout_(idle_timeout) {}

  /// \brief Keep `value` for `owner`; \return its handle (32 hex digits).
  std::string Put(std::string owner, std::shared_ptr<T> value) {
    std::string handle = NewHandle();
    std::lock_guard lock(mutex_);
    Expire(Clock::now());
    while (entries_.size() >= capacity_) EvictOldest();
    entries_[handle] = Entry{std::move(owner), std::move(value), Clock::now()};
    return handle;
  }

  /// \brief The entry of `handle` if `owner` made it. \return KeyError otherwise
  /// (someone else's handle is as unknown as a made-up one).
  arrow::Result<std::shared_ptr<T>> Get(const std::string& handle,
                                        const std::string& owner) {
    std::lock_guard lock(mutex_);
    Expire(Clock::now());
    auto it = entries_.find(handle);
    if (it == entries_.end() || it->second.owner != owner) {
      return arrow::Status::KeyError("unknown or expired statement handle");
    }
    it->second.last_used = Clock::now();
    return it->second.value;
  }

  /// \brief Get and forget.
  arrow::Result<std::shared_ptr<T>> Take(const std::string& handle,
                                         const std::string& owner) {
    ARROW_ASSIGN_OR_RAISE(auto value, Get(handle, owner));
    std::lock_guard lock(mutex_);
    entries_.erase(handle);
    return value;
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::string owner;
    std::shared_ptr<T> value;
    Clock::time_point last_used;
  };

  static std::string NewHandle() {
    thread_local std::random_device device;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string handle;
    for (int i = 0; i < 4; ++i) {
      uint32_t bits = device();
      for (int j = 0; j < 8; ++j, bits >>= 4) handle += kHex[bits & 0xf];
    }
    return handle;
  }

  // REQUIRES: mutex_ is held.
  void Expire(Clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = now - it->second.last_used >= idle_timeout_ ? entries_.erase(it)
                                                       : std::next(it);
    }
  }

  // REQUIRES: mutex_ is held.
  void EvictOldest() {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.last_used < oldest->second.last_used) oldest = it;
    }
    if (oldest != entries_.end()) entries_.erase(oldest);
  }

  const size_t capacity_;
  const Clock::duration idle_timeout_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace quiver::sql
