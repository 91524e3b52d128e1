#!/usr/bin/env python3
"""quiver append benchmark: many small appends to one dataset, then reads of the result
before and after compaction.

One quiverd (free loopback port, empty temporary root, --compact-threshold 0 so that
nothing compacts in the background) and one client, which:

  1. appends --appends batches of --rows rows each to one dataset, each append its own
     DoPut with the CMD descriptor {"dataset": ..., "mode": "append"}, timed from do_put
     to writer.close() returning (the server has committed the new version);
  2. reads the whole dataset with DoGet (--repeat times; it is made of one part per
     append), checking the row count;
  3. runs the `compact` action and times it;
  4. reads the dataset again (--repeat times), now made of a few large parts.

It prints a markdown table and writes it to bench/results/append-<UTC time>.md. It builds
nothing: build quiverd first (scripts/dev.sh build). See bench/README.md.
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.flight

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench import MB, MiB, REPO, Server, log  # noqa: E402

SCHEMA = pa.schema([
    ("id", pa.int64()),
    ("ts", pa.timestamp("us", tz="UTC")),
    ("value", pa.float64()),
    ("category", pa.string()),   # 16 distinct values
])
DATASET = "bench/appends"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--appends", type=int, default=None,
                   help="appends (default 1000, 50 with --quick)")
    p.add_argument("--rows", type=int, default=None,
                   help="rows per append (default 10000, 1000 with --quick)")
    p.add_argument("--repeat", type=int, default=None,
                   help="DoGet runs before and after compaction, the median is reported "
                        "(default 3, 1 with --quick)")
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    p.add_argument("--quiverd", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
                   / "quiverd",
                   help="quiverd binary (default: $QUIVER_BIN_DIR/quiverd or build/bin/quiverd)")
    p.add_argument("--results-dir", type=pathlib.Path, default=REPO / "bench" / "results",
                   help="where the results file goes (default bench/results)")
    p.add_argument("--workdir", type=pathlib.Path, default=None,
                   help="parent of the temporary directory (server root)")
    args = p.parse_args(argv)
    args.appends = args.appends or (50 if args.quick else 1000)
    args.rows = args.rows or (1000 if args.quick else 10_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.appends < 1 or args.rows < 1 or args.repeat < 1:
        p.error("--appends, --rows and --repeat must be at least 1")
    if not args.quiverd.is_file():
        p.error(f"no quiverd binary at {args.quiverd}: build it first (scripts/dev.sh build)")
    return args


def make_batch(rng, first_id, rows, categories):
    ids = np.arange(first_id, first_id + rows, dtype=np.int64)
    ts = pa.array(1_700_000_000_000_000 + ids * 1000, pa.timestamp("us", tz="UTC"))
    value = pa.array(rng.standard_normal(rows))
    category = categories.take(pa.array(rng.integers(0, len(categories), rows)))
    return pa.record_batch([pa.array(ids), ts, value, category], schema=SCHEMA)


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def do_get(client, expected_rows):
    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path(*DATASET.split("/")))
    start = time.perf_counter()
    rows = 0
    for chunk in client.do_get(info.endpoints[0].ticket):
        rows += chunk.data.num_rows
    seconds = time.perf_counter() - start
    if rows != expected_rows:
        raise RuntimeError(f"DoGet returned {rows} rows, expected {expected_rows}")
    return seconds, json.loads(info.app_metadata)


def dir_bytes(path):
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(args, workdir):
    rng = np.random.default_rng(20261201)
    categories = pa.array([f"category-{i:02d}" for i in range(16)])
    batches = [make_batch(rng, i * args.rows, args.rows, categories)
               for i in range(min(args.appends, 16))]
    nbytes_per_append = batches[0].nbytes
    root = workdir / "root"
    server = Server.quiverd("quiverd", args.quiverd, root, "--compact-threshold", "0")
    log(f"quiverd started at {server.location} (pid {server.pid})")
    results = {}
    try:
        client = pa.flight.connect(server.location)
        list(client.list_flights())  # the connection is set up outside the timings
        descriptor = pa.flight.FlightDescriptor.for_command(
            json.dumps({"dataset": DATASET, "mode": "append"}).encode())
        latencies = []
        log(f"{args.appends} appends of {args.rows:,} rows")
        total_start = time.perf_counter()
        for i in range(args.appends):
            # Same data shape every time; the ids stay distinct.
            template = batches[i % len(batches)]
            ids = pa.array(np.arange(i * args.rows, (i + 1) * args.rows, dtype=np.int64))
            batch = template.set_column(0, "id", ids)
            start = time.perf_counter()
            writer, _ = client.do_put(descriptor, SCHEMA)
            writer.write_batch(batch)
            writer.close()
            latencies.append(time.perf_counter() - start)
            if (i + 1) % max(1, args.appends // 10) == 0:
                log(f"  {i + 1} appends, last {latencies[-1] * 1000:.1f} ms")
        total = time.perf_counter() - total_start
        rows = args.appends * args.rows
        results["append"] = dict(seconds=total, rows=rows, latencies=latencies,
                                 nbytes=args.appends * nbytes_per_append)
        dataset_dir = root.joinpath(*DATASET.split("/"))
        results["manifests"] = dict(
            count=len(list((dataset_dir / ".manifests").glob("*.json"))),
            bytes=dir_bytes(dataset_dir / ".manifests"),
            last=max((dataset_dir / ".manifests").glob("*.json")).stat().st_size)

        for phase in ("before", "after"):
            if phase == "after":
                log("compact")
                start = time.perf_counter()
                list(client.do_action(pa.flight.Action("compact", DATASET.encode())))
                results["compact"] = time.perf_counter() - start
            times = []
            for _ in range(args.repeat):
                seconds, meta = do_get(client, rows)
                times.append(seconds)
            log(f"DoGet {phase} compaction: {statistics.median(times):.3f} s "
                f"({meta['parts']} parts)")
            results[phase] = dict(seconds=statistics.median(times), all=times,
                                  parts=meta["parts"], bytes=meta["bytes"],
                                  version=meta["version"])
        client.close()
        if not server.alive():
            raise RuntimeError(f"quiverd died:\n{server.log()[-4000:]}")
    finally:
        code = server.stop()
        log(f"quiverd stopped (exit code {code})")
    return results


def render(args, r):
    a = r["append"]
    lat = a["latencies"]
    rows = a["rows"]
    lines = [
        "| measure | value |",
        "|---|---:|",
        f"| appends | {args.appends:,} x {args.rows:,} rows ({rows:,} rows, "
        f"{a['nbytes'] / MB:,.1f} MB of Arrow data) |",
        f"| append total | {a['seconds']:.2f} s |",
        f"| append rows/s | {rows / a['seconds']:,.0f} |",
        f"| append MB/s | {a['nbytes'] / MB / a['seconds']:,.1f} |",
        f"| appends/s | {args.appends / a['seconds']:,.1f} |",
        f"| append latency p50 | {percentile(lat, 50) * 1000:.1f} ms |",
        f"| append latency p99 | {percentile(lat, 99) * 1000:.1f} ms |",
        f"| append latency max | {max(lat) * 1000:.1f} ms |",
        f"| append latency p50, first / last 10% of appends | "
        f"{percentile(lat[:max(1, len(lat) // 10)], 50) * 1000:.1f} / "
        f"{percentile(lat[-max(1, len(lat) // 10):], 50) * 1000:.1f} ms |",
        f"| manifests stored | {r['manifests']['count']:,} "
        f"({r['manifests']['bytes'] / MiB:,.1f} MiB; the last {r['manifests']['last'] / 1024:,.1f} KiB) |",
        f"| parts before compaction | {r['before']['parts']:,} "
        f"({r['before']['bytes'] / MiB:,.1f} MiB) |",
        f"| DoGet before compaction | {r['before']['seconds']:.3f} s "
        f"({rows / r['before']['seconds']:,.0f} rows/s) |",
        f"| compact action | {r['compact']:.2f} s |",
        f"| parts after compaction | {r['after']['parts']:,} "
        f"({r['after']['bytes'] / MiB:,.1f} MiB) |",
        f"| DoGet after compaction | {r['after']['seconds']:.3f} s "
        f"({rows / r['after']['seconds']:,.0f} rows/s) |",
    ]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    parent = args.workdir or pathlib.Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="quiver-bench-append-", dir=parent))
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    try:
        results = run(args, workdir)
    finally:
        Server.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    table = render(args, results)
    settings = (f"DoGet: median of {args.repeat}; quiverd --compact-threshold 0 "
                f"(no background compaction); pyarrow {pa.__version__}, Python "
                f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
                f"{load_before[0]:.2f} before, {load_after[0]:.2f} after"
                + ("; QUICK sizes" if args.quick else ""))
    print(table)
    print()
    print(settings)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"append-{started.strftime('%Y%m%dT%H%M%SZ')}.md"
    out.write_text(f"# quiver append benchmark, {started.isoformat(timespec='seconds')}\n\n"
                   f"{table}\n\n- {settings}\n- command: bench_append.py "
                   f"{' '.join(sys.argv[1:] if argv is None else argv)}\n")
    log(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
