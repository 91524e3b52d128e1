"""`cmake --install` gives a self-contained, relocatable tree: the installed quiverd and
quiver run from a clean environment with the source tree and .venv hidden, on the
Arrow libraries copied beside them, with the sample config and the hardening of the
systemd unit they ship."""
import ctypes
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN_DIR = pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
BUILD_DIR = BIN_DIR.parent
PYARROW_DIR = pathlib.Path(pa.__file__).resolve().parent
SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def project_version():
    text = (REPO / "CMakeLists.txt").read_text()
    return re.search(r"project\(quiver VERSION (\S+)", text).group(1)


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    """Install into one directory, then move the tree somewhere else."""
    staged = tmp_path_factory.mktemp("stage") / "quiver"
    subprocess.run(["cmake", "--install", str(BUILD_DIR), "--prefix", str(staged)],
                   check=True, capture_output=True)
    moved = tmp_path_factory.mktemp("moved") / "opt-quiver"
    shutil.move(staged, moved)
    return moved


def hidden_tree_prefix():
    """A command prefix running a program with the source tree and the wheel hidden
    (empty tmpfs mounted over them in a private mount namespace), or [] where this
    process may not create one."""
    hide = [REPO]
    if REPO not in PYARROW_DIR.parents:
        hide.append(PYARROW_DIR)
    script = "".join(f"mount -t tmpfs none '{d}' && " for d in hide) + 'exec "$@"'
    probe = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", "true"]
    try:
        if subprocess.run(probe, capture_output=True).returncode != 0:
            return []
    except FileNotFoundError:
        return []
    return probe[:-1]


def hardened_prefix():
    """setpriv as the unit's NoNewPrivileges= and empty CapabilityBoundingSet= do."""
    if shutil.which("setpriv") is None:
        return []
    return ["setpriv", "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"]


def deny_write_execute():
    """preexec_fn: what the unit's MemoryDenyWriteExecute=yes does, with the kernel's
    PR_SET_MDWE (Linux 6.3+; inherited across fork and execve). No-op where missing."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
    libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)


def run(cmd, cwd, **kwargs):
    return subprocess.run([*hidden_tree_prefix(), *map(str, cmd)], cwd=cwd,
                          env={**CLEAN_ENV, "HOME": str(cwd)}, capture_output=True,
                          text=True, timeout=120, **kwargs)


def elf_files(prefix):
    return sorted([*(prefix / "bin").iterdir(), *(prefix / "lib").iterdir()])


def test_layout(prefix):
    assert sorted(p.name for p in (prefix / "bin").iterdir()) == ["quiver", "quiverd"]
    libs = sorted(p.name for p in (prefix / "lib").iterdir())
    # Only the wheel libraries the binaries load (selective reads bring Arrow's dataset,
    # Acero and Substrait libraries): never the Python bindings or anything unused.
    assert "libarrow.so.2600" in libs and "libarrow_flight.so.2600" in libs
    assert "libparquet.so.2600" in libs
    assert not [name for name in libs if "python" in name]
    loaded = set()
    for program in ("quiverd", "quiver"):
        out = subprocess.run(["ldd", str(prefix / "bin" / program)], env=CLEAN_ENV,
                             capture_output=True, text=True, check=True).stdout
        loaded.update(re.findall(r"^\s*(\S+) =>", out, re.M))
    assert set(libs) <= loaded, f"installed but never loaded: {set(libs) - loaded}"
    docs = prefix / "share" / "doc" / "quiver"
    assert (docs / "README.md").is_file() and (docs / "operations.md").is_file()
    unit = (prefix / "share" / "quiver" / "quiverd.service").read_text()
    # The unit names the installed quiverd (the prefix as installed, before the move).
    assert re.search(r"^ExecStart=/\S+/quiver/bin/quiverd --config ", unit, re.M)
    assert (prefix / "share" / "quiver" / "quiverd.toml").is_file()


def test_runpath_and_libraries_resolve_inside_the_prefix(prefix):
    runpath = subprocess.run(["readelf", "-d", str(prefix / "bin" / "quiverd")],
                             capture_output=True, text=True, check=True).stdout
    assert "[$ORIGIN/../lib]" in runpath
    for path in elf_files(prefix):
        out = subprocess.run(["ldd", str(path)], env=CLEAN_ENV, capture_output=True,
                             text=True, check=True).stdout
        assert "not found" not in out, out
        for target in re.findall(r"=> (/\S+)", out):
            real = os.path.realpath(target)
            inside = real.startswith(str(prefix) + "/")
            system = real.startswith(SYSTEM_LIB_DIRS)
            assert inside or system, f"{path.name} loads {real}"
            if "arrow" in target or "parquet" in target:
                assert inside, f"{path.name} loads Arrow from {real}"


def test_version_names_the_project_and_arrow(prefix, tmp_path):
    for program in ("quiverd", "quiver"):
        result = run([prefix / "bin" / program, "--version"], tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == (
            f"{program} {project_version()} (Arrow {pa.__version__})")


def test_installed_quiverd_serves_the_installed_quiver(prefix, tmp_path):
    hidden = hidden_tree_prefix()
    if not hidden:
        print("no private mount namespace here: the source tree stays visible")
    # The shipped sample config, with the command line winning for address and root;
    # no new privileges, no capabilities, no writable+executable memory (as the unit).
    cmd = [*hidden, *hardened_prefix(), str(prefix / "bin" / "quiverd"),
           "--config", str(prefix / "share" / "quiver" / "quiverd.toml"),
           "--listen", "127.0.0.1:0", "--root", str(tmp_path / "data"),
           "--metrics-listen", "127.0.0.1:0", "--log-format", "text"]
    log_path = tmp_path / "quiverd.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                  env={**CLEAN_ENV, "HOME": str(tmp_path)},
                                  preexec_fn=deny_write_execute)
    try:
        deadline = time.monotonic() + 30
        while not (m := re.search(r"quiverd listening on grpc://127\.0\.0\.1:(\d+)",
                                  log_path.read_text())):
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.05)
        url = f"grpc://127.0.0.1:{m.group(1)}"

        # No file of the source tree or of .venv is mapped into the running server
        # (unshare, sh and setpriv exec: the pid is quiverd's).
        maps = pathlib.Path(f"/proc/{server.pid}/maps").read_text()
        mapped = set(re.findall(r"\s(/\S+)$", maps, re.M))
        assert any("libarrow_flight" in m for m in mapped)
        assert not [m for m in mapped if m.startswith((str(REPO), str(PYARROW_DIR)))]

        table = pa.table({"id": list(range(1000)), "city": ["Oslo", "Quito"] * 500})
        pacsv.write_csv(table, tmp_path / "orders.csv")
        quiver = prefix / "bin" / "quiver"
        put = run([quiver, "--server", url, "put", "orders.csv", "--name", "shop/orders"],
                  tmp_path)
        assert put.returncode == 0, put.stderr
        listing = run([quiver, "--server", url, "ls"], tmp_path)
        assert listing.returncode == 0 and "shop/orders" in listing.stdout
        got = run([quiver, "--server", url, "get", "shop/orders", "-o", "back.parquet"],
                  tmp_path)
        assert got.returncode == 0, got.stderr
        assert pq.read_table(tmp_path / "back.parquet").equals(table)
        missing = run([quiver, "--server", url, "get", "shop/nope"], tmp_path)
        assert missing.returncode == 4
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    log = log_path.read_text()
    assert "quiverd stopped" in log
    # The sample config was applied: metrics flag given, json format overridden.
    assert "metrics listening" in log


def test_systemd_unit_verifies(prefix, tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "quiverd.service"
    text = (prefix / "share" / "quiver" / "quiverd.service").read_text()
    # The tree was moved after installing: point the unit at where it is now.
    text = re.sub(r"^ExecStart=\S+", f"ExecStart={prefix}/bin/quiverd", text, flags=re.M)
    unit.write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
