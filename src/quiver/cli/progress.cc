#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/ioctl.h>
#include <unistd.h>

#include "quiver/cli/human_units_internal.h"
#include "quiver/cli/progress_internal.h"

namespace quiver::cli {

std::string RenderProgress(const ProgressState& state, int width) {
  double fraction = -1;
  if (state.total_bytes > 0) {
    fraction = static_cast<double>(state.bytes) / static_cast<double>(state.total_bytes);
  } else if (state.total_rows > 0) {
    fraction = static_cast<double>(state.rows) / static_cast<double>(state.total_rows);
  }
  fraction = std::min(fraction, 1.0);
  double rate = state.elapsed_seconds > 0
                    ? static_cast<double>(state.bytes) / state.elapsed_seconds
                    : 0;
  std::string tail = FormatBytes(state.bytes) + "  " + FormatCount(state.rows) +
                     " rows  " + FormatRate(rate);
  if (fraction > 0 && state.elapsed_seconds > 0) {
    double eta = state.elapsed_seconds * (1 - fraction) / fraction;
    tail += "  ETA " + FormatDuration(eta);
  } else if (fraction < 0) {
    tail += "  " + FormatDuration(state.elapsed_seconds);
  }
  std::string head = state.label;
  if (fraction >= 0) {
    char percent[8];
    std::snprintf(percent, sizeof(percent), "%3d%%", static_cast<int>(fraction * 100));
    // The bar's width moves in steps, not with every digit of the numbers.
    int room = width - static_cast<int>(head.size() + tail.size()) - 9;
    int bar = room >= 20 ? 20 : (room >= 10 ? 10 : 0);
    if (bar > 0) {
      int done = static_cast<int>(fraction * bar);
      head += " [" + std::string(static_cast<size_t>(done), '#') +
              std::string(static_cast<size_t>(bar - done), '.') + "]";
    }
    head += std::string(" ") + percent;
  }
  std::string line = head + "  " + tail;
  if (width > 0 && line.size() > static_cast<size_t>(width)) {
    line.resize(static_cast<size_t>(width));
  }
  return line;
}

ProgressBar::ProgressBar(bool enabled, std::string label, int64_t total_bytes,
                         int64_t total_rows)
    : enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {
  state_.label = std::move(label);
  state_.total_bytes = total_bytes;
  state_.total_rows = total_rows;
}

ProgressBar::~ProgressBar() {
  // An unfinished bar (error path) still leaves the cursor on a fresh line.
  if (enabled_ && !finished_) std::fputs("\n", stderr);
}

void ProgressBar::Update(int64_t bytes, int64_t rows) {
  state_.bytes = bytes;
  state_.rows = rows;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw();
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  Draw();
  std::fputs("\n", stderr);
}

void ProgressBar::Draw() {
  state_.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = RenderProgress(state_, TerminalWidth() - 1);
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
}

bool StderrIsTerminal() {
  if (!isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

int TerminalWidth() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

}  // namespace quiver::cli
