#pragma once

/// \file
/// A one-line progress display on stderr for long transfers: bytes, rows, rate, and
/// ETA when the total is known. Shown only when stderr is a terminal.

#include <chrono>
#include <cstdint>
#include <string>

namespace quiver::cli {

/// \brief What a transfer has done so far. A total < 0 is unknown.
struct ProgressState {
  std::string label;         ///< e.g. "put sales"
  int64_t bytes = 0;         ///< bytes moved so far
  int64_t rows = 0;          ///< rows moved so far
  int64_t total_bytes = -1;  ///< bytes expected in all, when known
  int64_t total_rows = -1;   ///< rows expected in all, when known
  double elapsed_seconds = 0;
};

/// \brief The progress line for `state`, at most `width` columns, no newline: label,
/// a bar and percentage when a total is known, bytes, rows, rate, ETA.
std::string RenderProgress(const ProgressState& state, int width);

/// \brief Redraws a progress line on stderr, at most 10 times a second.
///
/// Does nothing at all when disabled (stderr not a terminal). Not thread-safe.
class ProgressBar {
 public:
  /// \param enabled draw at all; see StderrIsTerminal().
  ProgressBar(bool enabled, std::string label, int64_t total_bytes, int64_t total_rows);
  ~ProgressBar();

  /// \brief Set the totals done so far; redraws when due.
  void Update(int64_t bytes, int64_t rows);
  /// \brief Draw the final state and end the line. Idempotent.
  void Finish();

 private:
  void Draw();

  bool enabled_;
  bool finished_ = false;
  ProgressState state_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// \brief Whether stderr is a terminal (and TERM is not "dumb").
bool StderrIsTerminal();

/// \brief The width of the terminal on stderr, 80 when unknown.
int TerminalWidth();

}  // namespace quiver::cli
