"""The Flight clients of other languages against a real quiverd: arrow-go (Go), Arrow
Java's flight-core (Java) and the arrow-flight crate (Rust), each in
tests/interop/<language>/, each running the scenario of docs/clients.md (the cookbook's
storage flow, a streamed 1M-row dataset, every type of the C++ round-trip test, Basic
login then the bearer token, TLS with the dev CA, NOT_FOUND and PERMISSION_DENIED).

A client is built when its toolchain is on PATH (the test is skipped otherwise) and
cached outside the clone, under ~/.cache/quiver/interop/<language>-<key>/, the key
hashing the client's sources and the toolchain's version; the package managers' own
caches (~/go, ~/.m2, ~/.cargo) and Cargo's target directory under ~/.cache keep a new
clone from rebuilding the dependencies. Set QUIVER_INTEROP_CACHE to cache elsewhere.
"""
import fcntl
import hashlib
import inspect
import os
import pathlib
import re
import shutil
import subprocess
import time

import numpy as np
import pytest

from security_util import PASSWORD, make_certs, make_users

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

HERE = pathlib.Path(__file__).resolve().parent
CACHE = pathlib.Path(os.environ.get("QUIVER_INTEROP_CACHE")
                     or pathlib.Path.home() / ".cache" / "quiver" / "interop")
ROWS = 1_000_000
BUILD_TIMEOUT = 1800
# Build outputs that may sit in a source folder when a developer builds by hand.
IGNORED = {"target", "build", ".idea"}


def _sources(directory):
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not (set(rel.parts) & IGNORED):
            yield rel, path.read_bytes()


def _version(*cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return out.stdout + out.stderr


def _registry_only_go_env():
    """Go fetches modules from the module proxy only: no VCS fallback ("direct"), no
    toolchain download, go.sum as committed."""
    proxies, flags = subprocess.run(["go", "env", "GOPROXY", "GOFLAGS"], capture_output=True,
                                    text=True, check=True).stdout.splitlines()
    kept = [p for p in re.split(r"[,|]", proxies) if p and p not in ("direct",)]
    return {"GOPROXY": ",".join(kept) or "off", "GOTOOLCHAIN": "local",
            "GOFLAGS": f"{flags} -mod=readonly -buildvcs=false".strip()}


class Client:
    """A client of one language: how to see its toolchain, build it, and run it."""
    tools = ()

    def __init__(self, name):
        self.name = name
        self.source = HERE / name

    def missing_tool(self):
        return next((tool for tool in self.tools if shutil.which(tool) is None), None)

    def toolchain(self):
        raise NotImplementedError

    def build(self, out):
        """Build into the empty directory `out`."""
        raise NotImplementedError

    def command(self, out):
        raise NotImplementedError

    def key(self):
        digest = hashlib.sha256(self.toolchain().encode())
        digest.update(inspect.getsource(type(self)).encode())  # how it is built
        for rel, content in _sources(self.source):
            digest.update(str(rel).encode() + b"\0" + hashlib.sha256(content).digest())
        return digest.hexdigest()[:16]

    def built(self):
        """The cached build for the current sources and toolchain, built if missing.
        Returns (command, seconds spent building or None if it was cached)."""
        CACHE.mkdir(parents=True, exist_ok=True)
        out = CACHE / f"{self.name}-{self.key()}"
        with open(CACHE / f"{self.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time per language
            if (out / "built").exists():
                return self.command(out), None
            work = out.with_name(out.name + ".partial")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            start = time.monotonic()
            self.build(work)
            seconds = time.monotonic() - start
            (work / "built").write_text(f"{seconds:.1f}\n")
            shutil.rmtree(out, ignore_errors=True)
            work.rename(out)
            self._prune(keep=out)
        return self.command(out), seconds

    def _prune(self, keep, kept=3):
        """Keep the `kept` most recent builds of this language (other branches' too)."""
        builds = sorted((d for d in CACHE.glob(f"{self.name}-*")
                         if d.is_dir() and d != keep and (d / "built").exists()),
                        key=lambda d: d.stat().st_mtime, reverse=True)
        for old in builds[kept - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _run_build(cmd, cwd, env=None):
    result = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n"
                           f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")


class GoClient(Client):
    tools = ("go",)

    def toolchain(self):
        return _version("go", "version")

    def build(self, out):
        _run_build(["go", "build", "-trimpath", "-o", str(out / "client"), "."],
                   self.source, _registry_only_go_env())

    def command(self, out):
        return [str(out / "client")]


class JavaClient(Client):
    tools = ("java", "mvn")

    def toolchain(self):
        return _version("java", "-version") + _version("mvn", "-v")

    def build(self, out):
        cmd = ["mvn", "-B", "-q", "package", f"-Dquiver.build.dir={out}"]
        try:  # Maven offline once ~/.m2 holds the dependencies
            _run_build([cmd[0], "-o", *cmd[1:]], self.source)
        except RuntimeError:
            _run_build(cmd, self.source)

    def command(self, out):
        # Arrow Java's memory module needs java.nio opened to it on Java 17+.
        return ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp", f"{out / 'classes'}:{out / 'lib'}/*", "quiver.interop.Main"]


class RustClient(Client):
    tools = ("cargo", "rustc")

    def toolchain(self):
        return _version("rustc", "-V") + _version("cargo", "-V")

    def build(self, out):
        # One target directory for every version of the client, so that a change of
        # the client's sources (or a new clone) recompiles only the client itself.
        target = CACHE / "cargo-target"
        _run_build(["cargo", "build", "--locked", "--quiet"], self.source,
                   {"CARGO_TARGET_DIR": str(target)})
        shutil.copy2(target / "debug" / "quiver-interop", out / "client")

    def command(self, out):
        return [str(out / "client")]


CLIENTS = {"go": GoClient("go"), "java": JavaClient("java"), "rust": RustClient("rust")}


def expected_checksum(rows=ROWS):
    ids = np.arange(rows, dtype=np.int64)
    return int(np.bitwise_xor(ids, ids * 7919 % 1000003).astype(np.uint64).sum(dtype=np.uint64))


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certs(tmp_path_factory.mktemp("certs"))


# The parts of the scenario and how many checks each has at least, in every language.
SCENARIO = {"storage:": 5, "errors:": 2, "stream:": 4, "types:": 30 + 4, "tls:": 2,
            "auth:": 9}


@pytest.mark.parametrize("language", sorted(CLIENTS))
def test_client_runs_the_scenario(language, start_quiverd, certs, tmp_path):
    client = CLIENTS[language]
    tool = client.missing_tool()
    if tool:
        pytest.skip(f"{tool} is not installed: the {language} Flight client is not run")
    command, seconds = client.built()
    print(f"{language} client: " + ("cached build" if seconds is None
                                    else f"built in {seconds:.0f} s"))

    plain = start_quiverd("--listen", "127.0.0.1:0")
    users = make_users(tmp_path / "users.json", test="writer", rita="reader")
    secure = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users),
                           "--tls-cert", str(certs / "server.pem"),
                           "--tls-key", str(certs / "server.key"))
    result = subprocess.run(
        [*command, "--url", plain.location,
         "--tls-url", f"grpc+tls://localhost:{secure.port}", "--ca", str(certs / "ca.pem"),
         "--writer", "test", "--reader", "rita", "--rows", str(ROWS)],
        env={**os.environ, "QUIVER_INTEROP_PASSWORD": PASSWORD},
        capture_output=True, text=True, timeout=600)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    passed = [line[5:] for line in lines if line.startswith("ok   ")]
    assert not [line for line in lines if line.startswith("FAIL")]
    assert f"{language}: {len(passed)} passed, 0 failed" in lines
    for part, minimum in SCENARIO.items():
        count = sum(check.startswith(part) for check in passed)
        assert count >= minimum, f"{part} {count} checks, want {minimum}"
    # The client's own checksum agrees with one computed here, and the server saw it all.
    assert f"checksum={expected_checksum():016x}" in result.stdout
    assert re.search(rf"method=DoPut dataset={language}/stream rows={ROWS} .*status=OK",
                     plain.log()), plain.log()
    assert re.search(rf"method=DoPut dataset={language}/by-reader .*Detail: Unauthorized",
                     secure.log()), secure.log()


def test_expected_checksum_is_the_clients_formula():
    # The formula the clients use, row by row, on a small prefix.
    total = 0
    for i in range(1000):
        total = (total + (i ^ (i * 7919 % 1000003))) % 2**64
    assert expected_checksum(1000) == total
