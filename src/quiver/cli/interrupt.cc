#include <csignal>

#include "quiver/cli/interrupt_internal.h"

namespace quiver::cli {

arrow::Result<InterruptGuard> InterruptGuard::Make() {
  ARROW_ASSIGN_OR_RAISE(arrow::StopSource * source, arrow::SetSignalStopSource());
  auto registered = arrow::RegisterCancellingSignalHandler({SIGINT, SIGTERM});
  if (!registered.ok()) {
    arrow::ResetSignalStopSource();
    return registered;
  }
  return InterruptGuard(source->token());
}

InterruptGuard::InterruptGuard(InterruptGuard&& other) noexcept
    : token_(std::move(other.token_)), active_(other.active_) {
  other.active_ = false;
}

InterruptGuard::~InterruptGuard() {
  if (!active_) return;
  arrow::UnregisterCancellingSignalHandler();
  arrow::ResetSignalStopSource();
}

}  // namespace quiver::cli
