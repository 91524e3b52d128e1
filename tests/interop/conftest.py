"""Shared fixtures for the interop tests: quiverd started as a subprocess.

Every test that needs a server uses `quiverd` (port 0, fresh root) or starts its own
with `start_quiverd(...)` for special flags (TLS, users, metrics...).
"""
import os
import itertools
import pathlib
import re
import signal
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
QUIVERD = pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin")) / "quiverd"

_STARTS = itertools.count()
_LISTEN_RE = re.compile(r"quiverd listening on (\S+)://(\S+):(\d+)")


class QuiverdProcess:
    """A running quiverd. `location` is the URL clients connect to."""

    def __init__(self, args, root, env=None, timeout=30):
        self.root = pathlib.Path(root)
        # One log per start, so a restart on the same root keeps the first log.
        self.log_path = self.root.parent / f"{self.root.name}-quiverd-{next(_STARTS)}.log"
        self._log = open(self.log_path, "wb")
        cmd = [str(QUIVERD), "--root", str(self.root), *args]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        deadline = time.monotonic() + timeout
        while True:
            m = _LISTEN_RE.search(self.log())
            if m:
                self.scheme, self.host, self.port = m.group(1), m.group(2), int(m.group(3))
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"quiverd exited with {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"quiverd did not start:\n{self.log()}")
            time.sleep(0.05)

    @property
    def location(self):
        return f"{self.scheme}://{self.host}:{self.port}"

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stop the server and return its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


@pytest.fixture
def start_quiverd(tmp_path):
    """Factory: start_quiverd(*flags, root=None, env=None) -> QuiverdProcess."""
    started = []

    def start(*args, root=None, env=None):
        root = root or tmp_path / f"datasets{len(started)}"
        server = QuiverdProcess(list(args), root, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def quiverd(start_quiverd):
    """A quiverd on a free loopback port with an empty store."""
    return start_quiverd("--listen", "127.0.0.1:0")


# ---------------------------------------------------------------------------------------
# The storage format (docs/storage-format.md), read as any tool would: dataset "a/b" is
# the directory <root>/a/b with .manifests/<version>.json and .parts/*.parquet.

def stored_versions(root, name):
    """Every stored manifest of a dataset, ascending by version."""
    import json
    directory = pathlib.Path(root, *name.split("/")) / ".manifests"
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


def stored_parts(root, name):
    """Paths of the Parquet parts of the dataset's current version, in order."""
    current = stored_versions(root, name)[-1]
    return [pathlib.Path(root, *name.split("/")) / ".parts" / p["file"]
            for p in current["parts"]]


def read_stored(root, name):
    """The current version's rows, read straight from its Parquet parts."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    return pa.concat_tables([pq.read_table(p) for p in stored_parts(root, name)])


def stored_bytes(root, name):
    return sum(p.stat().st_size for p in stored_parts(root, name))


def uncommitted_files(root):
    """Parts no manifest references (uploads in progress, or left by a crash) and
    manifests being written."""
    import json
    out = []
    for parts_dir in pathlib.Path(root).rglob(".parts"):
        manifests = parts_dir.parent / ".manifests"
        referenced = set()
        for m in manifests.glob("*.json"):
            referenced |= {p["file"] for p in json.loads(m.read_text())["parts"]}
        out += [p for p in parts_dir.iterdir() if p.name not in referenced]
    out += list(pathlib.Path(root).rglob(".tmp-*"))
    out += list(pathlib.Path(root).rglob(".quiver-tmp-*"))
    return out
