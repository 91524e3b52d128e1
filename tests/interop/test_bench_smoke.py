"""bench/bench.py --quick with tiny sizes: the benchmark script must keep working.

Checks the shape of its output (every row of the table, every target check, the results
file), not its numbers: timings are not asserted anywhere.
"""
import os
import pathlib
import re
import subprocess
import sys

from conftest import QUIVERD, REPO

BENCH = REPO / "bench" / "bench.py"
COOKBOOK = pathlib.Path(os.environ.get("QUIVER_COOKBOOK_SERVER",
                                       REPO.parent / "shared" / "peers" / "cookbook_server.py"))


def run_bench(tmp_path, *extra):
    cmd = [sys.executable, str(BENCH), "--quick", "--ints-batches", "4", "--wide-mib", "1",
           "--list-count", "20", "--quiverd", str(QUIVERD), "--results-dir",
           str(tmp_path / "results"), "--workdir", str(tmp_path / "work"), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def table_rows(stdout):
    """(server, operation, dataset) -> (MB/s, rows/s, seconds, server CPU s, client CPU s,
    peak RSS MiB, RSS before MiB), as printed."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 10 and cells[0] != "server":
            rows[tuple(cells[:3])] = tuple(cells[3:])
    return rows


def check_server_rows(rows, server):
    for dataset in ("ints", "wide", "mid"):
        for op in ("DoPut", "DoGet"):
            mb_s, rows_s, seconds, server_cpu, client_cpu, rss, rss_before = rows[
                (server, op, dataset)]
            assert float(mb_s.replace(",", "")) >= 0  # 0.0 for a slow quick run
            assert float(rows_s.replace(",", "")) > 0
            assert float(seconds) > 0
            assert float(server_cpu) >= 0 and float(client_cpu) >= 0
            assert int(rss.replace(",", "")) >= int(rss_before.replace(",", "")) > 0
    assert (server, "DoPut x20", "tiny") in rows
    assert int(rows[(server, "ListFlights", "20 tiny")][5].replace(",", "")) > 0
    assert rows[(server, "idle", "-")][5] != "-"


def test_bench_quick_prints_the_table_and_checks(tmp_path):
    everything = COOKBOOK.is_file()
    extra = ["--cookbook-server", str(COOKBOOK)] if everything else ["--only", "quiverd"]
    done = run_bench(tmp_path, *extra)

    rows = table_rows(done.stdout)
    servers = ["quiverd", "simple", "streaming"] if everything else ["quiverd"]
    for server in servers:
        check_server_rows(rows, server)
    for dataset in ("ints", "wide", "mid"):
        assert ("in-process", "read_table", dataset) in rows
        assert ("in-process", "iter_batches", dataset) in rows
        assert ("in-process", "write", dataset) in rows
    # The selective read of the mid-size dataset, and its in-process counterpart.
    assert float(rows[("quiverd", "DoGet 1%", "mid")][2]) > 0
    assert ("in-process", "selective", "mid") in rows
    assert {key[0] for key in rows} == set(servers) | {"in-process"}

    checks = [line for line in done.stdout.splitlines() if re.search(r"\(goal [\d.]+x\)", line)]
    assert len(checks) == 30
    verdicts = [line.split()[-1] for line in checks]
    if everything:
        # CPU-second ratios are n/a when an operation took less than the kernel's
        # 10 ms tick; every other check has its figures.
        assert {line.split()[-1] for line in checks if "(CPU)" not in line} <= {"PASS", "MISS"}
        assert set(verdicts) <= {"PASS", "MISS", "n/a"}
    else:  # the comparisons need the cookbook's servers
        assert "n/a" in verdicts and set(verdicts) <= {"PASS", "MISS", "n/a"}
    assert "QUICK sizes" in done.stdout

    (results,) = (tmp_path / "results").glob("*.md")
    text = results.read_text()
    assert "| quiverd " in text and "Targets (issues 2 and 17)" in text
    for line in checks:
        assert line in text
    # Every server was stopped and the temporary directory removed.
    pids = [int(p) for p in re.findall(r"started at \S+ \(pid (\d+)\)", done.stderr)]
    assert len(pids) == len(servers)
    for pid in pids:
        assert not pathlib.Path(f"/proc/{pid}").exists()
    assert list((tmp_path / "work").iterdir()) == []


def test_bench_rejects_unknown_server(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--only", "nope"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "unknown server" in done.stderr


def test_bench_append_quick_prints_its_table(tmp_path):
    cmd = [sys.executable, str(REPO / "bench" / "bench_append.py"), "--quick", "--appends",
           "12", "--rows", "500", "--quiverd", str(QUIVERD), "--results-dir",
           str(tmp_path / "results"), "--workdir", str(tmp_path / "work")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    table = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", done.stdout, re.MULTILINE))
    assert table["appends"].startswith("12 x 500 rows (6,000 rows")
    assert float(table["append rows/s"].replace(",", "")) > 0
    assert table["append latency p99"].endswith(" ms")
    # One part per append until the compact action, which merges these small parts.
    assert table["parts before compaction"].startswith("12 ")
    assert table["parts after compaction"].startswith("1 ")
    assert table["DoGet before compaction"].endswith(" rows/s)")
    assert table["DoGet after compaction"].endswith(" rows/s)")
    (results,) = (tmp_path / "results").glob("append-*.md")
    assert "| DoGet after compaction |" in results.read_text()
    assert list((tmp_path / "work").iterdir()) == []
    pids = [int(p) for p in re.findall(r"started at \S+ \(pid (\d+)\)", done.stderr)]
    assert len(pids) == 1 and not pathlib.Path(f"/proc/{pids[0]}").exists()


def test_bench_reads_quick_prints_every_measure(tmp_path):
    """bench/bench_reads.py on 2 MiB: every measure (a)-(d) and check is printed and
    written to the results file (no timing is asserted)."""
    cmd = [sys.executable, str(REPO / "bench" / "bench_reads.py"), "--mib", "2",
           "--repeat", "1", "--quiverd", str(QUIVERD), "--cookbook-server", str(COOKBOOK),
           "--results-dir", str(tmp_path / "results"), "--workdir", str(tmp_path / "work")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    measures = ["(a) quiverd full DoGet", "(a) in-process", "(b) quiverd columns + filter",
                "(b) DoGet everything", "(b) in-process pyarrow.dataset", "(c) quiverd full read"]
    checks = ["(a) DoGet vs in-process", "(b) selective vs DoGet-then-filter",
              "(b) selective vs in-process", "(c) 2 endpoints vs 1"]
    if COOKBOOK.is_file():
        measures.append("(d) cookbook streaming server")
        checks.append("(d) quiverd DoGet vs cookbook")
    for text in measures + checks:
        assert f"| {text}" in done.stdout, (text, done.stdout)
    results = list((tmp_path / "results").glob("reads-*.md"))
    assert len(results) == 1 and results[0].read_text().strip() == done.stdout.strip()
    assert not list((tmp_path / "work").iterdir())  # the temporary directory is removed
