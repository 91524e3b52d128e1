"""Running the `quiver` CLI from tests: plain subprocesses, on a pseudo-terminal, and
with its peak memory measured."""
import fcntl
import os
import pathlib
import pty
import select
import subprocess
import sys
import termios
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
QUIVER = pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin")) / "quiver"


def cli_env(config_dir, server=None, **extra):
    """Environment for one quiver run: its own config dir, no inherited credentials."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QUIVER_SERVER", "QUIVER_PASSWORD", "XDG_CONFIG_HOME")}
    env["XDG_CONFIG_HOME"] = str(config_dir)
    if server is not None:
        env["QUIVER_SERVER"] = server
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(args, env, input=None, timeout=120):
    """Run quiver with `args`; returns CompletedProcess with bytes stdout/stderr."""
    return subprocess.run([str(QUIVER), *map(str, args)], env=env, input=input,
                          capture_output=True, timeout=timeout)


def run_measured(args, env, timeout=300):
    """Run quiver and return (returncode, stderr, peak RSS in bytes of quiver alone).

    A fresh Python parent waits for quiver only, so RUSAGE_CHILDREN is quiver's."""
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(QUIVER), *map(str, args)],
                          env=env, capture_output=True, timeout=timeout)
    return done.returncode, done.stderr, int(done.stdout.strip()) * 1024


def _own_terminal():
    """In the child: a new session whose controlling terminal is stdin (the pty), so
    that /dev/tty is the pty."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class OnTerminal:
    """quiver with stdin and stderr on a pseudo-terminal that is its controlling
    terminal (stdout stays a pipe)."""

    def __init__(self, args, env):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([str(QUIVER), *map(str, args)], env=env,
                                     stdin=slave, stdout=subprocess.PIPE, stderr=slave,
                                     preexec_fn=_own_terminal)
        os.close(slave)
        self.screen = b""

    def read_until(self, text, timeout=30):
        """Collect terminal output until `text` (bytes) shows up."""
        deadline = time.monotonic() + timeout
        while text not in self.screen and time.monotonic() < deadline:
            self._read(0.1)
        return text in self.screen

    def type(self, text):
        os.write(self.master, text)

    def finish(self, timeout=120):
        out, _ = self.proc.communicate(timeout=timeout)
        while self._read(0.1):
            pass
        os.close(self.master)
        return self.proc.returncode, out, self.screen

    def _read(self, wait):
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the terminal closed with the process
            return False
        self.screen += chunk
        return bool(chunk)
