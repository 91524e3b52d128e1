"""tests/crash/crash_harness.py at a small count: quiverd killed with SIGKILL ten times
while clients append, overwrite, restore, drop and compact and while GC and background
compaction run; after every restart, every version is whole and no acknowledged commit
is lost. The harness is run by hand at large counts (see tests/crash/README.md)."""
import importlib.util

from conftest import QUIVERD, REPO


def load_harness():
    spec = importlib.util.spec_from_file_location(
        "crash_harness", REPO / "tests" / "crash" / "crash_harness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ten_kills_lose_nothing(tmp_path, capsys):
    harness = load_harness()
    totals = harness.main(["--kills", "10", "--seed", "20261201", "--min-delay", "0.8",
                           "--max-delay", "2.5", "--check-versions", "3", "--quiverd", str(QUIVERD),
                           "--workdir", str(tmp_path)])
    out = capsys.readouterr().out
    assert totals.failures == [], out
    assert totals.lost == 0
    assert totals.kills == 10
    # The runs did what they are meant to: commits of every kind, background
    # compactions, and old versions still stored to check.
    assert totals.acked > 50, out
    assert totals.compactions_logged > 0, out
    assert totals.versions_verified > totals.kills, out
    assert "totals: 10 kills" in out
    assert list(tmp_path.iterdir()) == []   # nothing left behind when all is well
