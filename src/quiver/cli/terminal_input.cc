#include <cstdio>
#include <iostream>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <arrow/status.h>

#include "quiver/cli/terminal_input_internal.h"

namespace quiver::cli {

bool StdinIsTerminal() { return isatty(STDIN_FILENO) != 0; }

arrow::Result<std::string> PromptPassword(std::string_view prompt) {
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return arrow::Status::Invalid(
        "no terminal to ask for the password; set QUIVER_PASSWORD instead");
  }
  // Echo off before the prompt: what is typed after seeing it is never shown, nor
  // flushed away by the mode change.
  termios saved{};
  bool restore = tcgetattr(fd, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!write(fd, prompt.data(), prompt.size());
  std::string password;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r') password += c;
  if (restore) tcsetattr(fd, TCSANOW, &saved);
  (void)!write(fd, "\n", 1);
  close(fd);
  return password;
}

bool Confirm(std::string_view question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}

}  // namespace quiver::cli
