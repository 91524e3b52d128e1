#!/usr/bin/env python3
"""quiver benchmark: quiverd against the Arrow Flight cookbook's Parquet servers.

In one run, on the same machine and the same data, this script starts each server in
turn (quiverd, the cookbook's `simple` and `streaming` servers), each on its own free
port with its own empty temporary root, and measures:

  * DoPut and DoGet of (a) the cookbook's 1024 x 4096 int64 dataset and (b) a wide
    dataset (ints, doubles, strings, with nulls) of at least 1 GiB of Arrow memory,
    generated once into a temporary Arrow IPC file and streamed from it batch by batch;
  * the server's peak RSS during each operation;
  * ListFlights over 10,000 tiny datasets;
  * the ceiling: pyarrow.parquet.read_table, in this process, of the file quiverd stored.

It prints a table and the issue's target checks, and writes both to
bench/results/<timestamp>.md. It builds nothing: build quiverd first
(`scripts/dev.sh bench` does both). See bench/README.md.
"""
import argparse
import atexit
import concurrent.futures
import dataclasses
import datetime
import os
import pathlib
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight
import pyarrow.ipc
import pyarrow.parquet

REPO = pathlib.Path(__file__).resolve().parents[1]
SERVERS = ("quiverd", "simple", "streaming")
# Not run by default: quiverd storing with the cookbook's codec (pyarrow's default, snappy),
# to tell the codec's share of a difference from the server's.
EXTRA_SERVERS = ("quiverd-snappy",)
MiB = 1 << 20
GiB = 1 << 30
MB = 1_000_000


# ---------------------------------------------------------------------------------------
# options


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="small sizes for a smoke run (seconds, numbers not meaningful)")
    p.add_argument("--repeat", type=int, default=None,
                   help="runs of each measurement (default 3, 1 with --quick)")
    p.add_argument("--stat", choices=("median", "best"), default="median",
                   help="which of the repeated timings to report (default median)")
    p.add_argument("--only", default=",".join(SERVERS),
                   help="comma-separated servers to run, of: " + ", ".join(SERVERS)
                   + " (default: all of these), " + ", ".join(EXTRA_SERVERS))
    p.add_argument("--ints-batches", type=int, default=None,
                   help="batches of 4096 rows in the ints dataset (default 1024)")
    p.add_argument("--wide-mib", type=float, default=None,
                   help="Arrow size of the wide dataset in MiB (default 1024)")
    p.add_argument("--list-count", type=int, default=None,
                   help="tiny datasets uploaded for the ListFlights timing (default 10000)")
    p.add_argument("--quiverd", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
                   / "quiverd",
                   help="quiverd binary (default: $QUIVER_BIN_DIR/quiverd or build/bin/quiverd)")
    p.add_argument("--cookbook-server", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get(
                       "QUIVER_COOKBOOK_SERVER",
                       REPO.parent / "shared" / "peers" / "cookbook_server.py")),
                   help="the cookbook's servers script (default: $QUIVER_COOKBOOK_SERVER or "
                        "../shared/peers/cookbook_server.py beside the repository)")
    p.add_argument("--results-dir", type=pathlib.Path, default=REPO / "bench" / "results",
                   help="where the results file goes (default bench/results)")
    p.add_argument("--workdir", type=pathlib.Path, default=None,
                   help="parent of the temporary directory (data file, server roots)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args(argv)

    quick = args.quick
    args.repeat = args.repeat or (1 if quick else 3)
    args.ints_batches = args.ints_batches or (16 if quick else 1024)
    args.wide_mib = args.wide_mib or (4 if quick else 1024)
    args.list_count = args.list_count or (100 if quick else 10_000)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SERVERS + EXTRA_SERVERS)
    if unknown or not args.only:
        p.error(f"--only: unknown server(s) {sorted(unknown)}; "
                f"choose from {SERVERS + EXTRA_SERVERS}")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if {"quiverd", "quiverd-snappy"} & set(args.only) and not args.quiverd.is_file():
        p.error(f"no quiverd binary at {args.quiverd}: build it first (scripts/dev.sh build)")
    if {"simple", "streaming"} & set(args.only) and not args.cookbook_server.is_file():
        p.error(f"no cookbook server at {args.cookbook_server}: give --cookbook-server "
                "(or QUIVER_COOKBOOK_SERVER), or leave it out with --only quiverd")
    return args


# ---------------------------------------------------------------------------------------
# data


@dataclasses.dataclass
class Dataset:
    """A dataset the client streams to every server, one batch at a time."""
    key: str            # short name in the table
    name: str           # dataset name on the servers (a single path segment)
    schema: pa.Schema
    rows: int
    nbytes: int         # Arrow memory of all batches: the numerator of MB/s
    batches: object     # () -> iterator of RecordBatch


def ints_dataset(num_batches, rows_per_batch=4096):
    """The streaming recipe's upload: one 4096-row int64 batch written num_batches times."""
    batch = pa.record_batch([pa.array(range(rows_per_batch))], names=["ints"])
    return Dataset("ints", "ints.parquet", batch.schema, num_batches * rows_per_batch,
                   num_batches * batch.nbytes, lambda: (batch for _ in range(num_batches)))


WIDE_SCHEMA = pa.schema([
    ("id", pa.int64()),
    ("qty", pa.int32()),          # 10% nulls
    ("price", pa.float64()),      # 5% nulls
    ("score", pa.float64()),
    ("category", pa.string()),    # 64 distinct values
    ("note", pa.string()),        # mostly distinct, ~25 chars, 20% nulls
])
WIDE_BATCH_ROWS = 64 * 1024


def _wide_batch(rng, first_id, n, words):
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    qty = pa.array(rng.integers(0, 10_000, n, dtype=np.int32), mask=rng.random(n) < 0.10)
    price = pa.array(rng.random(n) * 1000, mask=rng.random(n) < 0.05)
    score = pa.array(rng.standard_normal(n))
    category = words.take(pa.array(rng.integers(0, 64, n)))
    note = pc.binary_join_element_wise(
        words.take(pa.array(rng.integers(0, len(words), n))),
        pc.cast(pa.array(rng.integers(0, 1 << 62, n)), pa.string()), "-")
    note = pc.if_else(pa.array(rng.random(n) < 0.20), pa.scalar(None, pa.string()), note)
    return pa.record_batch([pa.array(ids), qty, price, score, category, note],
                           schema=WIDE_SCHEMA)


def make_wide_dataset(path, target_bytes, seed=20241125):
    """Write batches to an Arrow IPC file until their Arrow size reaches target_bytes.

    The file is memory-mapped for reading, so streaming it costs the client page cache,
    not a second copy of the data on its heap.
    """
    rng = np.random.default_rng(seed)
    words = pa.array([f"w{i:03d}-{'abcdefghijklmnop'[i % 16] * (3 + i % 9)}"
                      for i in range(1024)])
    rows = nbytes = 0
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, WIDE_SCHEMA) as writer:
        while nbytes < target_bytes:
            batch = _wide_batch(rng, rows, WIDE_BATCH_ROWS, words)
            writer.write_batch(batch)
            rows += batch.num_rows
            nbytes += batch.nbytes

    def batches():
        with pa.memory_map(str(path)) as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i)

    return Dataset("wide", "wide.parquet", WIDE_SCHEMA, rows, nbytes, batches)


# ---------------------------------------------------------------------------------------
# servers


class Server:
    """A server process on a free loopback port with its own root."""

    _started = []

    def __init__(self, kind, cmd, root, ready_re):
        self.kind, self.root = kind, pathlib.Path(root)
        self.log_path = self.root.parent / f"{kind}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT)
        Server._started.append(self)
        deadline = time.monotonic() + 60
        while not (m := re.search(ready_re, self.log())):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{kind} did not start:\n{self.log()}")
            time.sleep(0.05)
        self.location = m.group(1)
        self.pid = self.proc.pid

    @classmethod
    def quiverd(cls, kind, binary, root, *flags):
        return cls(kind, [str(binary), "--listen", "127.0.0.1:0", "--root", str(root), *flags],
                   root, r"quiverd listening on (grpc://\S+:\d+)")

    @classmethod
    def cookbook(cls, script, mode, root):
        return cls(mode, [sys.executable, str(script), "--mode", mode, "--host", "127.0.0.1",
                          "--port", "0", "--repo", str(root)],
                   root, rf"cookbook {mode} server on (grpc://\S+:\d+)")

    def log(self):
        return self.log_path.read_text(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode

    @classmethod
    def stop_all(cls):
        for server in cls._started:
            if server.proc.poll() is None:
                server.proc.kill()
                server.proc.wait()


def _status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class PeakRss:
    """The peak resident set size of a process during a `with` block, in bytes.

    Resets the kernel's high-water mark (VmHWM) on entry where allowed and also samples
    VmRSS every few milliseconds; the peak is the larger of the two.
    """

    def __init__(self, pid, interval=0.005):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.start = 0  # RSS on entry: memory the process kept from earlier work

    def __enter__(self):
        self.start = self.peak = _status_kib(self.pid, "VmRSS") * 1024
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            self._hwm = True
        except OSError:
            self._hwm = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while True:
            try:
                self.peak = max(self.peak, _status_kib(self.pid, "VmRSS") * 1024)
            except OSError:
                return
            if self._stop.wait(self.interval):
                return

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        try:
            if self._hwm:
                self.peak = max(self.peak, _status_kib(self.pid, "VmHWM") * 1024)
            self.peak = max(self.peak, _status_kib(self.pid, "VmRSS") * 1024)
        except OSError:
            pass
        return False


# ---------------------------------------------------------------------------------------
# measurements


@dataclasses.dataclass
class Row:
    server: str
    op: str
    dataset: str
    seconds: float
    nbytes: int = 0
    rows: int = 0
    peak_rss: int = 0       # bytes; 0 = not measured
    start_rss: int = 0      # bytes, at the start of the first run; 0 = not measured
    all_seconds: tuple = ()

    @property
    def mb_per_s(self):
        return self.nbytes / MB / self.seconds if self.nbytes and self.seconds else None

    @property
    def rows_per_s(self):
        return self.rows / self.seconds if self.rows and self.seconds else None


def pick(times, stat):
    return min(times) if stat == "best" else statistics.median(times)


def repeated(args, run, pid=None):
    """Run `run` args.repeat times.

    \return (reported seconds, all seconds, peak RSS, RSS before the first run)
    """
    times, peak, start = [], 0, 0
    for _ in range(args.repeat):
        if pid is None:
            times.append(run())
            continue
        with PeakRss(pid) as rss:
            times.append(run())
        peak = max(peak, rss.peak)
        start = start or rss.start
    return pick(times, args.stat), tuple(times), peak, start


def do_put(client, ds):
    start = time.perf_counter()
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path(ds.name), ds.schema)
    for batch in ds.batches():
        writer.write_batch(batch)
    writer.close()
    return time.perf_counter() - start


def do_get(client, ds):
    ticket = client.get_flight_info(
        pa.flight.FlightDescriptor.for_path(ds.name)).endpoints[0].ticket
    start = time.perf_counter()
    reader = client.do_get(ticket)
    rows = 0
    for chunk in reader:
        rows += chunk.data.num_rows
    seconds = time.perf_counter() - start
    if rows != ds.rows:
        raise RuntimeError(f"DoGet of {ds.name} returned {rows} rows, expected {ds.rows}")
    if not reader.schema.equals(ds.schema):
        raise RuntimeError(f"DoGet of {ds.name} returned schema {reader.schema}")
    return seconds


def in_process_read(path, ds):
    start = time.perf_counter()
    table = pa.parquet.read_table(path)
    seconds = time.perf_counter() - start
    if table.num_rows != ds.rows:
        raise RuntimeError(f"read_table of {path} returned {table.num_rows} rows")
    return seconds


def in_process_iter(path, ds):
    """Stream the file the way a DoGet does: 64Ki-row batches, one at a time."""
    start = time.perf_counter()
    rows = 0
    with pa.parquet.ParquetFile(path) as f:
        for batch in f.iter_batches(batch_size=64 * 1024):
            rows += batch.num_rows
    seconds = time.perf_counter() - start
    if rows != ds.rows:
        raise RuntimeError(f"iter_batches of {path} returned {rows} rows")
    return seconds


def in_process_write(path, ds):
    """Write the dataset as quiverd does by default: zstd, statistics, row groups of up to
    64 MiB of Arrow data or 2^20 rows, fsync. The DoPut's ceiling on this machine."""
    start = time.perf_counter()
    with pa.parquet.ParquetWriter(path, ds.schema, compression="zstd",
                                  write_statistics=True) as writer:
        pending, pending_bytes = [], 0
        for batch in ds.batches():
            pending.append(batch)
            pending_bytes += batch.nbytes
            if pending_bytes >= 64 * MiB:
                writer.write_table(pa.Table.from_batches(pending), row_group_size=1 << 20)
                pending, pending_bytes = [], 0
        if pending:
            writer.write_table(pa.Table.from_batches(pending), row_group_size=1 << 20)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    seconds = time.perf_counter() - start
    os.unlink(path)
    return seconds


def tiny_table(i):
    return pa.table({"id": pa.array([i], pa.int64()), "label": pa.array([f"tiny {i}"])})


def upload_tiny(location, count, workers=4):
    def upload(indices):
        client = pa.flight.connect(location)
        for i in indices:
            table = tiny_table(i)
            writer, _ = client.do_put(
                pa.flight.FlightDescriptor.for_path(f"tiny-{i:05d}.parquet"), table.schema)
            writer.write_table(table)
            writer.close()
        client.close()

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(upload, range(w, count, workers)) for w in range(workers)]:
            f.result()
    return time.perf_counter() - start


def list_all(client, count):
    start = time.perf_counter()
    n = sum(1 for _ in client.list_flights())
    seconds = time.perf_counter() - start
    if n != count:
        raise RuntimeError(f"ListFlights returned {n} flights, expected {count}")
    return seconds


def stored_file(root, name):
    """The Parquet file holding a dataset: the cookbook's servers store `<root>/<name>`;
    quiverd stores versions of parts, `<root>/<name>/.parts/*.parquet` (the newest part
    is the current version's after a whole-dataset DoPut)."""
    path = root / name
    if path.is_file():
        return path
    return max((path / ".parts").glob("*.parquet"), key=lambda p: p.stat().st_mtime_ns)


def bench_server(args, kind, datasets, workdir, rows, notes):
    root = workdir / f"root-{kind}"
    if kind == "quiverd":
        server = Server.quiverd(kind, args.quiverd, root)
    elif kind == "quiverd-snappy":
        server = Server.quiverd(kind, args.quiverd, root, "--compression", "snappy")
    else:
        server = Server.cookbook(args.cookbook_server, kind, root)
    log(f"{kind}: started at {server.location} (pid {server.pid})")
    try:
        client = pa.flight.connect(server.location)
        list(client.list_flights())  # warm-up: the connection is set up outside timings
        rows.append(Row(kind, "idle", "-", 0, peak_rss=_status_kib(server.pid, "VmRSS") * 1024))
        for ds in datasets:
            for op, fn in (("DoPut", do_put), ("DoGet", do_get)):
                log(f"{kind}: {op} {ds.key} x{args.repeat}")
                seconds, times, peak, start = repeated(args, lambda: fn(client, ds),
                                                       server.pid)
                rows.append(Row(kind, op, ds.key, seconds, ds.nbytes, ds.rows, peak, start,
                                times))
            path = stored_file(root, ds.name)
            pf = pa.parquet.ParquetFile(path)
            notes.setdefault("stored", []).append(
                f"{kind} stored {ds.key} in {path.stat().st_size / MiB:,.2f} MiB of Parquet "
                f"({pf.metadata.num_row_groups} row groups, "
                f"{pf.metadata.row_group(0).column(0).compression})")
            pf.close()
            if kind == "quiverd":
                scratch = workdir / "in-process.parquet"
                for op, fn in (("read_table", in_process_read),
                               ("iter_batches", in_process_iter),
                               ("write", lambda _, ds: in_process_write(scratch, ds))):
                    log(f"in-process {op} of quiverd's {ds.key} file x{args.repeat}")
                    seconds, times, _, _ = repeated(args, lambda: fn(path, ds))
                    rows.append(Row("in-process", op, ds.key, seconds, ds.nbytes, ds.rows,
                                    all_seconds=times))
            list(client.do_action(pa.flight.Action("drop_dataset", ds.name.encode())))

        log(f"{kind}: uploading {args.list_count} tiny datasets")
        with PeakRss(server.pid) as rss:
            seconds = upload_tiny(server.location, args.list_count)
        rows.append(Row(kind, f"DoPut x{args.list_count}", "tiny", seconds, 0,
                        args.list_count, rss.peak, rss.start, (seconds,)))
        log(f"{kind}: ListFlights over {args.list_count} x{args.repeat}")
        seconds, times, peak, start = repeated(
            args, lambda: list_all(client, args.list_count), server.pid)
        rows.append(Row(kind, "ListFlights", f"{args.list_count} tiny", seconds, 0,
                        args.list_count, peak, start, times))
        client.close()
        if not server.alive():
            raise RuntimeError(f"{kind} died:\n{server.log()[-4000:]}")
    finally:
        code = server.stop()
        log(f"{kind}: stopped (exit code {code})")
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# report


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def render_table(rows):
    header = ["server", "operation", "dataset", "MB/s", "rows/s", "seconds", "peak RSS MiB",
              "RSS before MiB"]
    body = [[r.server, r.op, r.dataset, fmt(r.mb_per_s, ",.1f"), fmt(r.rows_per_s, ",.0f"),
             "-" if r.op == "idle" else f"{r.seconds:.3f}",
             fmt(r.peak_rss / MiB if r.peak_rss else None, ",.0f"),
             fmt(r.start_rss / MiB if r.start_rss else None, ",.0f")] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *body)]
    right = [False, False, False, True, True, True, True, True]

    def line(cells):
        return "| " + " | ".join(c.rjust(w) if r else c.ljust(w)
                                 for c, w, r in zip(cells, widths, right)) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2))
                         for w, r in zip(widths, right)) + "|"
    return "\n".join([line(header), sep] + [line(b) for b in body])


def find(rows, server, op, dataset=None):
    for r in rows:
        if r.server == server and r.op == op and (dataset is None or r.dataset == dataset):
            return r
    return None


def target_checks(rows, datasets):
    """(description, ratio, goal) for each of the issue's targets."""
    checks = []

    def throughput_ratio(a, b):
        return b.seconds / a.seconds if a and b else None

    for ds in datasets:
        q_get, q_put = find(rows, "quiverd", "DoGet", ds.key), find(rows, "quiverd", "DoPut", ds.key)
        st_get, st_put = find(rows, "streaming", "DoGet", ds.key), find(rows, "streaming", "DoPut", ds.key)
        si_get = find(rows, "simple", "DoGet", ds.key)
        ceiling = find(rows, "in-process", "read_table", ds.key)
        streamed = find(rows, "in-process", "iter_batches", ds.key)
        written = find(rows, "in-process", "write", ds.key)
        checks += [
            (f"DoGet {ds.key}: quiverd >= 3x streaming cookbook",
             throughput_ratio(q_get, st_get), 3.0),
            (f"DoGet {ds.key}: quiverd >= simple cookbook",
             throughput_ratio(q_get, si_get), 1.0),
            (f"DoPut {ds.key}: quiverd >= 2x streaming cookbook",
             throughput_ratio(q_put, st_put), 2.0),
            (f"DoGet {ds.key}: quiverd >= 0.85 x in-process read_table",
             throughput_ratio(q_get, ceiling), 0.85),
            (f"  (not in the issue) DoGet {ds.key}: quiverd >= 0.85 x in-process "
             "iter_batches",
             throughput_ratio(q_get, streamed), 0.85),
            (f"  (not in the issue) DoPut {ds.key}: quiverd >= 0.85 x in-process write",
             throughput_ratio(q_put, written), 0.85),
        ]
    wide = [r for r in rows if r.server == "quiverd" and r.dataset == "wide"
            and r.op in ("DoPut", "DoGet")]
    peak = max((r.peak_rss for r in wide), default=0)
    checks.append(("peak RSS wide: quiverd <= 256 MiB (ratio = 256 MiB / peak)",
                   256 * MiB / peak if peak else None, 1.0))
    q_list = find(rows, "quiverd", "ListFlights")
    cookbook_lists = [r for r in (find(rows, "simple", "ListFlights"),
                                  find(rows, "streaming", "ListFlights")) if r]
    fastest = min(cookbook_lists, key=lambda r: r.seconds) if cookbook_lists else None
    checks.append(("ListFlights: quiverd >= 20x faster than the faster cookbook",
                   throughput_ratio(q_list, fastest), 20.0))
    return checks


def render_checks(checks):
    lines = []
    width = max(len(c[0]) for c in checks)
    for desc, ratio, goal in checks:
        if ratio is None:
            verdict, shown = "n/a", "-"
        else:
            verdict, shown = ("PASS" if ratio >= goal else "MISS"), f"{ratio:.2f}x"
        lines.append(f"  {desc.ljust(width)}  ratio {shown:>8}  (goal {goal:g}x)  {verdict}")
    return "\n".join(lines)


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def main(argv=None):
    args = parse_args(argv)
    atexit.register(Server.stop_all)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parent = args.workdir or pathlib.Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="quiver-bench-", dir=parent))
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    rows, notes = [], {}
    try:
        ints = ints_dataset(args.ints_batches)
        log(f"generating the wide dataset ({args.wide_mib:g} MiB of Arrow data)")
        t0 = time.perf_counter()
        wide = make_wide_dataset(workdir / "wide.arrow", int(args.wide_mib * MiB))
        log(f"  {wide.rows:,} rows, {wide.nbytes / MiB:,.0f} MiB, "
            f"{time.perf_counter() - t0:.1f} s")
        datasets = [ints, wide]
        for kind in SERVERS + EXTRA_SERVERS:
            if kind in args.only:
                bench_server(args, kind, datasets, workdir, rows, notes)
    finally:
        Server.stop_all()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    table = render_table(rows)
    checks = render_checks(target_checks(rows, datasets))
    load_after = os.getloadavg()
    settings = (f"repeat {args.repeat} ({args.stat}); ints {ints.rows:,} rows "
                f"({ints.nbytes / MiB:,.1f} MiB); wide {wide.rows:,} rows "
                f"({wide.nbytes / MiB:,.1f} MiB, {len(WIDE_SCHEMA)} columns); "
                f"ListFlights over {args.list_count:,} datasets"
                + ("; QUICK sizes: the checks are not meaningful" if args.quick else ""))
    print(table)
    print()
    print("Targets (issue 2):")
    print(checks)
    print()
    print(settings)

    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"{started.strftime('%Y%m%dT%H%M%SZ')}.md"
    with open(out, "w") as f:
        f.write(f"# quiver benchmark, {started.isoformat(timespec='seconds')}\n\n")
        f.write(f"{table}\n\n## Targets (issue 2)\n\n```\n{checks}\n```\n\n## Run\n\n")
        f.write(f"- {settings}\n")
        f.write(f"- MB = 10^6 bytes of Arrow data (RecordBatch.nbytes); MiB = 2^20 bytes\n")
        f.write(f"- pyarrow {pa.__version__}, Python {platform.python_version()}, "
                f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} before, "
                f"{load_after[0]:.2f} after\n")
        for note in notes.get("stored", []):
            f.write(f"- {note}\n")
        f.write(f"- command: bench.py {' '.join(sys.argv[1:] if argv is None else argv)}\n")
    log(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
