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


class S3Root:
    """A store root in an S3 bucket: what `--root s3://...` names, and a pyarrow file
    system to look at it with (the functions below accept it wherever they take a root)."""

    def __init__(self, server, prefix):
        self.server, self.prefix = server, prefix
        self.uri = server.uri(prefix)
        self.base = f"{server.bucket}/{prefix}"
        self.fs = server.filesystem()

    def __str__(self):
        return self.uri

    def __truediv__(self, part):  # where a dataset's files are, as root / "a" / "b"
        return S3Root(self.server, f"{self.prefix}/{part}")


class QuiverdProcess:
    """A running quiverd. `location` is the URL clients connect to. `root` is a
    pathlib.Path (local store) or an S3Root."""

    def __init__(self, args, root, env=None, timeout=30, log_dir=None):
        self.root = root if isinstance(root, S3Root) else pathlib.Path(root)
        # One log per start, so a restart on the same root keeps the first log.
        if isinstance(root, S3Root):
            name = root.prefix.replace("/", "-")
            self.log_path = pathlib.Path(log_dir) / f"{name}-quiverd-{next(_STARTS)}.log"
        else:
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


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "storage_backends: run the module's tests on a local root and on an "
        "S3 root (the real test S3 server), through the `storage` fixture")
    config.addinivalue_line(
        "markers", "local_storage(reason): in a storage_backends module, run this test "
        "on a local root only, for the reason given (it looks at the local file system, "
        "or storage plays no part in it)")


def pytest_generate_tests(metafunc):
    # Modules marked storage_backends run each test that starts a quiverd twice, except
    # the tests marked local_storage, which run once, on a local root.
    if "storage" not in metafunc.fixturenames or \
            not metafunc.definition.get_closest_marker("storage_backends"):
        return
    local = metafunc.definition.get_closest_marker("local_storage")
    if local is not None and not (local.args or local.kwargs.get("reason")):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: local_storage needs a reason")
    metafunc.parametrize("storage", ["local"] if local else ["local", "s3"], indirect=True)


@pytest.fixture
def storage(request):
    """Where quiverd keeps its datasets in this test: "local" or "s3"."""
    return getattr(request, "param", "local")


@pytest.fixture(scope="session")
def s3_session(tmp_path_factory):
    """One S3 server for every S3-backed test of the session (each test its own prefix)."""
    from s3_server import S3Server
    server = S3Server(tmp_path_factory.mktemp("s3-session"))
    yield server
    server.stop()


@pytest.fixture
def new_root(storage, request, tmp_path):
    """Factory: new_root(name) -> a fresh, empty root of the test's storage (a path under
    tmp_path, or an S3Root with a prefix of its own)."""
    def make(name="store"):
        if storage == "s3":
            server = request.getfixturevalue("s3_session")
            # Test ids carry parameters (spaces, quotes, ...): a prefix keeps only
            # characters a URI path takes as they are.
            prefix = re.sub(r"[^A-Za-z0-9._-]+", "-",
                            f"{request.node.name}-{next(_STARTS)}-{name}")
            return S3Root(server, prefix)
        return tmp_path / name
    return make


@pytest.fixture
def start_quiverd(tmp_path, new_root):
    """Factory: start_quiverd(*flags, root=None, env=None) -> QuiverdProcess. Without a
    root, a fresh one of the test's storage (local, or S3 in storage_backends modules)."""
    started = []

    def start(*args, root=None, env=None):
        root = root or new_root(f"datasets{len(started)}")
        if isinstance(root, S3Root):
            env = {**root.server.env(), **(env or {})}
        server = QuiverdProcess(list(args), root, env=env, log_dir=tmp_path)
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

def _files(root, sub=""):
    """(relative path, size) of every file under root/sub, recursively."""
    if isinstance(root, S3Root):
        from pyarrow import fs
        base = f"{root.base}/{sub}" if sub else root.base
        infos = root.fs.get_file_info(fs.FileSelector(base, recursive=True,
                                                      allow_not_found=True))
        return [(i.path[len(root.base) + 1:], i.size) for i in infos
                if i.type == fs.FileType.File]
    base = pathlib.Path(root, sub)
    return [(str(p.relative_to(root)), p.stat().st_size) for p in base.rglob("*")
            if p.is_file()]


def _read(root, relative):
    if isinstance(root, S3Root):
        with root.fs.open_input_stream(f"{root.base}/{relative}") as f:
            return f.read()
    return pathlib.Path(root, relative).read_bytes()


def stored_files(root):
    """Relative paths of every file (object) of a store."""
    return sorted(path for path, _ in _files(root))


def stored_versions(root, name):
    """Every stored manifest of a dataset, ascending by version."""
    import json
    directory = f"{name}/.manifests"
    paths = sorted(p for p, _ in _files(root, directory) if p.endswith(".json"))
    return [json.loads(_read(root, p)) for p in paths]


def stored_parts(root, name):
    """Relative paths of the Parquet parts of the dataset's current version, in order."""
    current = stored_versions(root, name)[-1]
    return [f"{name}/.parts/{p['file']}" for p in current["parts"]]


def read_stored(root, name):
    """The current version's rows, read straight from its Parquet parts."""
    import io
    import pyarrow as pa
    import pyarrow.parquet as pq
    return pa.concat_tables([pq.read_table(io.BytesIO(_read(root, p)))
                             for p in stored_parts(root, name)])


def stored_bytes(root, name):
    sizes = dict(_files(root, name))
    return sum(sizes[p] for p in stored_parts(root, name))


def uncommitted_files(root):
    """Parts no manifest references (uploads in progress, or left by a crash) and
    manifests being written, as relative paths. (On S3 an upload in progress is an
    unfinished multipart upload: no object until it completes.)"""
    import json
    files = [p for p, _ in _files(root)]
    referenced = set()
    for p in files:
        if "/.manifests/" in f"/{p}" and p.endswith(".json"):
            dataset = p.rsplit("/.manifests/", 1)[0] if "/" in p else ""
            referenced |= {f"{dataset}/.parts/{part['file']}"
                           for part in json.loads(_read(root, p))["parts"]}
    out = [pathlib.PurePosixPath(p) for p in files
           if "/.parts/" in f"/{p}" and p not in referenced]
    out += [pathlib.PurePosixPath(p) for p in files
            if pathlib.PurePosixPath(p).name.startswith((".tmp-", ".quiver-tmp-"))]
    return out


@pytest.fixture
def s3_server(tmp_path):
    """A real S3-compatible server on a free loopback port with an empty bucket
    (tests/interop/s3_server.py); skipped when the Go toolchain is missing."""
    from s3_server import S3Server
    server = S3Server(tmp_path / "s3")
    yield server
    server.stop()
