"""A small run of the load suite (tests/load/load.py): 20 clients for 5 s mixing put,
append, get, info, list, drop and login against one quiverd; no unexpected error, the
server's threads and memory come back down, and it stops cleanly. The big run (200
clients, 60 s) is by hand: docs/reliability.md."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "load"))
import load  # noqa: E402


def test_twenty_clients_for_five_seconds():
    summary = load.run(load.parse_args(["--clients", "20", "--duration", "5", "--auth"]))
    load.print_summary(summary)
    assert summary["unexpected_errors"] == 0, summary["errors"]
    assert summary["hung_clients"] == 0
    assert summary["calls"] >= 40
    for op in ("put", "get", "info", "list"):
        assert summary["latency_ms"][op]["n"] > 0, f"no {op} in the mix"
    assert summary["quiverd_exit"] == 0
    # Every stream ended: the gRPC threads the calls used are gone or idle, not pinned.
    assert summary["quiverd_threads_end"] <= summary["quiverd_threads_start"] + 12
    assert summary["quiverd_peak_rss_mib"] < 1024
