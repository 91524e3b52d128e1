#!/usr/bin/env python3
"""quiver read benchmark: full, selective and parallel DoGet on a 20-column dataset.

In one run on one machine, with one dataset of 20 columns (1 GiB of Arrow memory by
default) uploaded once to quiverd and once to the Arrow Flight cookbook's streaming
Parquet server, it measures (issue 10, "Benchmark"):

  (a) quiverd's full DoGet against an in-process `pq.ParquetFile(...).iter_batches()` of
      the very file quiverd stored (target >= 0.85);
  (b) 2 columns with a filter keeping ~1% of the rows (the filter is on a sorted column,
      so row-group statistics rule most of the file out): quiverd's selective read
      against DoGet-everything-then-filter-in-the-client (target >= 10x faster) and
      against in-process `pyarrow.dataset` with the same filter and columns on the same
      file (target >= 0.8);
  (c) the full read over 2 endpoints read concurrently against 1 endpoint;
  (d) the cookbook streaming server's full DoGet against quiverd's (target >= 3x);
  (f) quiverd with the part cache (--cache-dir): the full DoGet that fills it, then
      the full DoGet served from it, against the cookbook server as in (d);
  (e) the floor: the same client reading the same data from a Flight server that holds
      it in memory (bench/memory_server.py, no Parquet at all). No server can beat it
      on this machine, so cookbook seconds / floor seconds is the best ratio (d) can
      reach here.

It prints a table and the checks and writes them to bench/results/reads-<UTC time>.md.
It builds nothing (build quiverd first). See bench/README.md.
"""
import argparse
import base64
import concurrent.futures
import datetime
import json
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

# Table.filter on batches received over Flight (whose buffers need not be 64-byte
# aligned) would print one Acero warning per batch; the data is read as it is.
os.environ.setdefault("ACERO_ALIGNMENT_HANDLING", "ignore")

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.dataset as pads  # noqa: E402
import pyarrow.flight as flight  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pyarrow.substrait as substrait  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402  (Server, PeakRss: the same harness as bench.py)

REPO = pathlib.Path(__file__).resolve().parents[1]
MiB = 1 << 20
BATCH_ROWS = 64 * 1024


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mib", type=float, default=None,
                   help="Arrow size of the dataset in MiB (default 1024; 16 with --quick)")
    p.add_argument("--quick", action="store_true",
                   help="small dataset, 1 repeat: a smoke run (numbers not meaningful)")
    p.add_argument("--repeat", type=int, default=None, help="runs of each timing (default 3)")
    p.add_argument("--stat", choices=("median", "best"), default="median")
    p.add_argument("--quiverd", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
                   / "quiverd")
    p.add_argument("--cookbook-server", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get(
                       "QUIVER_COOKBOOK_SERVER",
                       REPO.parent / "shared" / "peers" / "cookbook_server.py")),
                   help="the cookbook's servers script; (d) is left out when it is missing")
    p.add_argument("--results-dir", type=pathlib.Path, default=REPO / "bench" / "results")
    p.add_argument("--workdir", type=pathlib.Path, default=None)
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args(argv)
    args.mib = args.mib or (16 if args.quick else 1024)
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if not args.quiverd.is_file():
        p.error(f"no quiverd binary at {args.quiverd}: build it first (scripts/dev.sh build)")
    return args


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# data: 20 columns; "id" and "ts" ascend, so row-group statistics can rule ranges out.

def schema():
    fields = [("id", pa.int64()), ("ts", pa.timestamp("us", tz="UTC"))]
    fields += [(f"i{k}", pa.int32()) for k in range(5)]
    fields += [(f"f{k}", pa.float64()) for k in range(6)]
    fields += [("category", pa.string()), ("city", pa.string()), ("flag", pa.bool_())]
    fields += [(f"s{k}", pa.string()) for k in range(3)]
    fields += [("amount", pa.decimal128(12, 2))]
    return pa.schema(fields)


SCHEMA = schema()
assert len(SCHEMA) == 20
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in microseconds


def make_batch(rng, first, n, words):
    ids = np.arange(first, first + n, dtype=np.int64)
    cols = [pa.array(ids), pa.array(T0 + ids * 1000, pa.timestamp("us", tz="UTC"))]
    for k in range(5):
        cols.append(pa.array(rng.integers(-10**6, 10**6, n, dtype=np.int32),
                             mask=rng.random(n) < 0.05 * k))
    for k in range(6):
        cols.append(pa.array(rng.standard_normal(n) * 10**k, mask=rng.random(n) < 0.02 * k))
    cols.append(words.take(pa.array(rng.integers(0, 32, n))))
    cols.append(words.take(pa.array(rng.integers(32, 96, n))))
    cols.append(pa.array(rng.random(n) < 0.5))
    for k in range(3):
        text = pc.binary_join_element_wise(
            words.take(pa.array(rng.integers(0, len(words), n))),
            pc.cast(pa.array(rng.integers(0, 1 << 40, n)), pa.string()), "-")
        cols.append(pc.if_else(pa.array(rng.random(n) < 0.1), pa.scalar(None, pa.string()),
                               text))
    cents = rng.integers(0, 10**8, n, dtype=np.int64)
    cols.append(pc.cast(pa.array(np.round(cents / 100, 2)), pa.decimal128(12, 2)))
    return pa.record_batch(cols, schema=SCHEMA)


def make_dataset(path, target_bytes):
    """Batches into an Arrow IPC file (memory-mapped when read) until target_bytes."""
    rng = np.random.default_rng(20261202)
    words = pa.array([f"w{i:03d}-{'abcdefghijklmnop'[i % 16] * (2 + i % 7)}"
                      for i in range(512)])
    rows = nbytes = 0
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, SCHEMA) as writer:
        while nbytes < target_bytes:
            batch = make_batch(rng, rows, BATCH_ROWS, words)
            writer.write_batch(batch)
            rows += batch.num_rows
            nbytes += batch.nbytes
    return rows, nbytes


def batches(path):
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            yield reader.get_batch(i)


def upload(client, name, path):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name), SCHEMA)
    for batch in batches(path):
        writer.write_batch(batch)
    writer.close()


# ---------------------------------------------------------------------------------------
# timed operations: each returns (seconds, rows)

def read_endpoints(client, endpoints, concurrent=False):
    def one(endpoint):
        rows = 0
        for chunk in client.do_get(endpoint.ticket):
            rows += chunk.data.num_rows
        return rows
    if concurrent and len(endpoints) > 1:
        with concurrent_pool(len(endpoints)) as pool:
            return sum(pool.map(one, endpoints))
    return sum(one(e) for e in endpoints)


def concurrent_pool(n):
    return concurrent.futures.ThreadPoolExecutor(max_workers=n)


def timed(fn):
    start = time.perf_counter()
    rows = fn()
    return time.perf_counter() - start, rows


def command(**request):
    return flight.FlightDescriptor.for_command(json.dumps(request).encode())


def filter_b64(expression, columns):
    sub = pa.schema([SCHEMA.field(c) for c in columns])
    raw = substrait.serialize_expressions([expression], ["filter"], sub)
    return base64.b64encode(bytes(raw)).decode()


def run_repeated(args, fn, expect_rows=None):
    times = []
    for _ in range(args.repeat):
        seconds, rows = timed(fn)
        if expect_rows is not None and rows != expect_rows:
            raise RuntimeError(f"got {rows} rows, expected {expect_rows}")
        times.append(seconds)
    return (statistics.median(times) if args.stat == "median" else min(times)), times


# ---------------------------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="quiver-bench-reads-", dir=args.workdir))
    load_before = os.getloadavg()
    results = []  # (measure, seconds, rows, note)
    checks = []
    cook_time = None
    try:
        ipc = work / "data.arrow"
        log(f"generating {args.mib:g} MiB of 20-column data")
        rows, nbytes = make_dataset(ipc, args.mib * MiB)
        log(f"{rows:,} rows, {nbytes / MiB:,.0f} MiB of Arrow data")
        # ~1% of the rows, in the middle of the file, on the sorted id column.
        lo, hi = int(rows * 0.50), int(rows * 0.51)
        where = (pc.field("id") >= lo) & (pc.field("id") < hi)
        columns = ["id", "amount"]

        server = bench.Server.quiverd("quiverd", args.quiverd, work / "root-quiverd")
        try:
            client = flight.connect(server.location)
            list(client.list_flights())
            log("quiverd: upload")
            upload(client, "wide20", ipc)
            part = next(p for p in (work / "root-quiverd").rglob("*.parquet") if p.is_file())
            meta = pq.ParquetFile(part).metadata
            stored = (f"quiverd stored {part.stat().st_size / MiB:,.0f} MiB of Parquet, "
                      f"{meta.num_row_groups} row groups")
            log(stored)

            plain = client.get_flight_info(flight.FlightDescriptor.for_path("wide20"))

            def iter_batches():
                n = 0
                with pq.ParquetFile(part) as f:
                    for b in f.iter_batches(batch_size=BATCH_ROWS):
                        n += b.num_rows
                return n

            log("(a) full DoGet and in-process iter_batches")
            doget, _ = run_repeated(args, lambda: read_endpoints(client, plain.endpoints), rows)
            inproc, _ = run_repeated(args, iter_batches, rows)
            results += [("(a) quiverd full DoGet, 1 endpoint", doget, rows),
                        ("(a) in-process ParquetFile.iter_batches", inproc, rows)]
            checks.append(("(a) DoGet vs in-process iter_batches", inproc / doget, 0.85,
                           "in-process seconds / DoGet seconds"))

            log("(b) 2 columns, ~1% of the rows")
            info_b = client.get_flight_info(command(
                dataset="wide20", columns=columns, filter=filter_b64(where, ["id"])))
            expected_b = hi - lo
            selective, _ = run_repeated(
                args, lambda: read_endpoints(client, info_b.endpoints), expected_b)

            def get_all_then_filter():
                table = client.do_get(plain.endpoints[0].ticket).read_all()
                return table.filter(where).select(columns).num_rows

            def dataset_filter():
                return pads.dataset(str(part), format="parquet").to_table(
                    columns=columns, filter=where).num_rows

            client_side, _ = run_repeated(args, get_all_then_filter, expected_b)
            ds_time, _ = run_repeated(args, dataset_filter, expected_b)
            results += [("(b) quiverd columns + filter", selective, expected_b),
                        ("(b) DoGet everything, filter in the client", client_side, expected_b),
                        ("(b) in-process pyarrow.dataset, same filter", ds_time, expected_b)]
            checks.append(("(b) selective vs DoGet-then-filter", client_side / selective, 10,
                           "client-side seconds / selective seconds"))
            checks.append(("(b) selective vs in-process pyarrow.dataset", ds_time / selective,
                           0.8, "dataset seconds / selective seconds"))

            log("(c) 2 endpoints read concurrently")
            info_c = client.get_flight_info(command(dataset="wide20", endpoints=2))
            two, _ = run_repeated(
                args, lambda: read_endpoints(client, info_c.endpoints, concurrent=True), rows)
            results.append((f"(c) quiverd full read, {len(info_c.endpoints)} endpoints "
                            "concurrently", two, rows))
            checks.append(("(c) 2 endpoints vs 1", doget / two, None,
                           "1-endpoint seconds / 2-endpoint seconds"))
            client.close()
        finally:
            server.stop()

        log("(f) quiverd with the part cache")
        server = bench.Server.quiverd("quiverd-cache", args.quiverd, work / "root-quiverd",
                                      "--cache-dir", str(work / "cache"))
        try:
            client = flight.connect(server.location)
            info_f = client.get_flight_info(flight.FlightDescriptor.for_path("wide20"))
            fill, _ = timed(lambda: read_endpoints(client, info_f.endpoints))
            cache_dir = work / "cache"
            entry = lambda: sum(p.stat().st_size for p in cache_dir.rglob("*.arrow"))
            deadline = time.monotonic() + 300
            while entry() == 0 and time.monotonic() < deadline:
                time.sleep(0.1)  # the entry is written in the background
            cached_time, _ = run_repeated(
                args, lambda: read_endpoints(client, info_f.endpoints), rows)
            results += [("(f) quiverd full DoGet that fills the part cache", fill, rows),
                        ("(f) quiverd full DoGet from the part cache", cached_time, rows)]
            stored += f"; part cache entry {entry() / MiB:,.0f} MiB"
            client.close()
        finally:
            server.stop()
            shutil.rmtree(work / "root-quiverd", ignore_errors=True)

        if args.cookbook_server.is_file():
            log("(d) cookbook streaming server")
            cook = bench.Server.cookbook(args.cookbook_server, "streaming", work / "root-cook")
            try:
                client = flight.connect(cook.location)
                upload(client, "wide20.parquet", ipc)
                info_d = client.get_flight_info(
                    flight.FlightDescriptor.for_path("wide20.parquet"))
                cook_time, _ = run_repeated(
                    args, lambda: read_endpoints(client, info_d.endpoints), rows)
                results.append(("(d) cookbook streaming server full DoGet", cook_time, rows))
                checks.append(("(d) quiverd DoGet vs cookbook streaming", cook_time / doget,
                               3, "cookbook seconds / quiverd seconds"))
                checks.append(("(d) quiverd DoGet from the part cache vs cookbook",
                               cook_time / cached_time, 3,
                               "cookbook seconds / cached quiverd seconds"))
                client.close()
            finally:
                cook.stop()
        else:
            log(f"(d) skipped: no cookbook server at {args.cookbook_server}")

        log("(e) the floor: the same data streamed from memory")
        memory = bench.Server(
            "memory", [sys.executable, str(pathlib.Path(__file__).with_name("memory_server.py")),
                       "--file", str(ipc)],
            work / "root-memory", r"memory server on (grpc://\S+:\d+)")
        try:
            client = flight.connect(memory.location)
            floor, _ = run_repeated(
                args, lambda: read_endpoints(client, [flight.FlightEndpoint(b"all", [])]),
                rows)
            results.append(("(e) Flight server streaming the data from memory", floor, rows))
            checks.append(("(e) quiverd DoGet vs the in-memory floor", floor / doget, None,
                           "floor seconds / quiverd seconds"))
            checks.append(("(e) cached quiverd DoGet vs the in-memory floor",
                           floor / cached_time, None, "floor seconds / cached seconds"))
            if cook_time is not None:
                checks.append(("(e) best ratio (d) can reach here", cook_time / floor, None,
                               "cookbook seconds / floor seconds"))
            client.close()
        finally:
            memory.stop()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    report = render(args, rows, nbytes, stored, results, checks, load_before, load_after)
    print(report)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    name = "reads-" + datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (args.results_dir / f"{name}.md").write_text(report)
    return 0


def render(args, rows, nbytes, stored, results, checks, load_before, load_after):
    lines = [f"# quiver read benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
             "",
             f"{rows:,} rows x 20 columns, {nbytes / MiB:,.0f} MiB of Arrow data; {stored}; "
             f"{args.stat} of {args.repeat}; load average {load_before[0]:.1f} before, "
             f"{load_after[0]:.1f} after; {os.cpu_count()} CPUs",
             "",
             "| measure | seconds | rows | MB/s of Arrow data |",
             "|---|---:|---:|---:|"]
    for measure, seconds, n in results:
        mbs = nbytes / 1e6 / seconds if n == rows else float("nan")
        lines.append(f"| {measure} | {seconds:.3f} | {n:,} | "
                     f"{'' if n != rows else f'{mbs:,.0f}'} |")
    lines += ["", "| check | ratio | target | |", "|---|---:|---:|---|"]
    for name, ratio, target, how in checks:
        verdict = "" if target is None else ("PASS" if ratio >= target else "MISS")
        target_text = "-" if target is None else f">= {target:g}"
        lines.append(f"| {name} | {ratio:.2f} | {target_text} {verdict} | {how} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
