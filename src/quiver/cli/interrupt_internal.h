#pragma once

/// \file
/// Ctrl-C during a transfer: cancel it cleanly (no partial file, no committed partial
/// upload) instead of killing the process mid-write.

#include <arrow/result.h>
#include <arrow/util/cancel.h>

namespace quiver::cli {

/// \brief While alive, SIGINT and SIGTERM request a stop on token() instead of
/// killing the process (Arrow's cancelling signal handler). Install it around a
/// transfer only: prompts must stay interruptible the usual way. One at a time.
class InterruptGuard {
 public:
  /// \brief Install the handler.
  static arrow::Result<InterruptGuard> Make();

  InterruptGuard(InterruptGuard&& other) noexcept;
  InterruptGuard& operator=(InterruptGuard&&) = delete;
  ~InterruptGuard();

  /// \brief Stops once a signal arrived; pass it to the Flight calls of the transfer.
  arrow::StopToken token() const { return token_; }

 private:
  explicit InterruptGuard(arrow::StopToken token) : token_(std::move(token)) {}

  arrow::StopToken token_;
  bool active_ = true;
};

}  // namespace quiver::cli
