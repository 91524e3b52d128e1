#pragma once

#include <utility>

namespace quiver {

/// \brief Runs a callable when the scope ends, on every exit (return, early return,
/// error), unless Dismiss() was called: roll-back written once, next to what it undoes.
///
///   ScopeGuard undo([&] { DeleteWritten(); });
///   ...                       // any return from here on runs DeleteWritten()
///   undo.Dismiss();           // success: keep what was written
///
/// Not copyable or movable. The callable must not throw.
template <typename F>
class ScopeGuard {
 public:
  explicit ScopeGuard(F f) : f_(std::move(f)) {}
  ~ScopeGuard() {
    if (active_) f_();
  }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

  /// \brief Do not run the callable at the end of the scope.
  void Dismiss() { active_ = false; }

 private:
  F f_;
  bool active_ = true;
};

}  // namespace quiver
