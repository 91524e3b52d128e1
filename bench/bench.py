#!/usr/bin/env python3
"""quiver benchmark: quiverd against the Arrow Flight cookbook's Parquet servers.

In one run, on the same machine and the same data, this script starts each server in
turn (quiverd, the cookbook's `simple` and `streaming` servers), each on its own free
port with its own empty temporary root, and measures:

  * DoPut and DoGet of (a) the cookbook's 1024 x 4096 int64 dataset, (b) a wide
    dataset (ints, doubles, strings, with nulls) of at least 1 GiB of Arrow memory,
    generated once into a temporary Arrow IPC file and streamed from it batch by batch,
    and (c) a mid-size dataset of 2M rows (`id` ascending, a double, a string);
  * for quiverd, a selective read of the mid-size dataset (`id < 1%`, two columns)
    against its full DoGet: what row-group pruning gives;
  * the server's peak RSS during each operation;
  * ListFlights over 10,000 tiny datasets;
  * the ceiling: pyarrow.parquet.read_table, in this process, of the file quiverd stored.

It prints a table and the issue's target checks, and writes both to
bench/results/<timestamp>.md. It builds nothing: build quiverd first
(`scripts/dev.sh bench` does both). See bench/README.md.
"""
import argparse
import base64
import atexit
import concurrent.futures
import dataclasses
import json
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
import pyarrow.dataset
import pyarrow.parquet
import pyarrow.substrait

REPO = pathlib.Path(__file__).resolve().parents[1]
SERVERS = ("quiverd", "simple", "streaming")
DATASETS = ("ints", "wide", "mid")
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
    p.add_argument("--mid-rows", type=int, default=None,
                   help="rows of the mid-size dataset (default 2,000,000)")
    p.add_argument("--datasets", default=",".join(DATASETS),
                   help="comma-separated datasets to run, of: " + ", ".join(DATASETS)
                   + " (default: all)")
    p.add_argument("--quiverd-arg", action="append", default=[],
                   help="extra quiverd flag (repeatable), e.g. "
                        "--quiverd-arg=--row-group-rows=65536")
    p.add_argument("--row-group-rows", type=int, default=128 * 1024,
                   help="rows per row group of the in-process write ceiling: quiverd's "
                        "--row-group-rows (default 131072, quiverd's default)")
    p.add_argument("--no-list", action="store_true",
                   help="leave out the tiny datasets and the ListFlights timing")
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
    args.mid_rows = args.mid_rows or (40_000 if quick else 2_000_000)
    args.datasets = [s.strip() for s in args.datasets.split(",") if s.strip()]
    if set(args.datasets) - set(DATASETS) or not args.datasets:
        p.error(f"--datasets: choose from {DATASETS}")
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


MID_SCHEMA = pa.schema([("id", pa.int64()), ("value", pa.float64()), ("label", pa.string())])


def make_mid_dataset(rows, seed=20261208):
    """Issue 17's selective-read data: `id` int64 ascending, a double, a short string
    (about 20 bytes of Arrow data a row), in 64Ki-row batches held in memory."""
    rng = np.random.default_rng(seed)
    words = pa.array([f"{'abcdefgh'[i % 8]}{i}" for i in range(100)])
    batches = []
    for first in range(0, rows, WIDE_BATCH_ROWS):
        n = min(WIDE_BATCH_ROWS, rows - first)
        batches.append(pa.record_batch(
            [pa.array(np.arange(first, first + n, dtype=np.int64)),
             pa.array(rng.random(n)), words.take(pa.array(rng.integers(0, 100, n)))],
            schema=MID_SCHEMA))
    return Dataset("mid", "mid.parquet", MID_SCHEMA, rows, sum(b.nbytes for b in batches),
                   lambda: iter(batches))


def mid_filter(ds):
    """`id < 1% of the rows`, the issue's `id < 20000` on 2M rows, as quiverd takes it."""
    limit = ds.rows // 100
    expression = pc.field("id") < limit
    raw = pa.substrait.serialize_expressions([expression], ["filter"],
                                             pa.schema([MID_SCHEMA.field("id")]))
    return expression, limit, base64.b64encode(bytes(raw)).decode()


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
    server_cpu: float = None  # CPU-seconds (user + system) of the server, median of runs
    client_cpu: float = None  # CPU-seconds of this process (client or in-process work)

    @property
    def mb_per_s(self):
        return self.nbytes / MB / self.seconds if self.nbytes and self.seconds else None

    @property
    def rows_per_s(self):
        return self.rows / self.seconds if self.rows and self.seconds else None


def pick(times, stat):
    return min(times) if stat == "best" else statistics.median(times)


def cpu_seconds(pid):
    """User + system CPU-seconds of a process so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def repeated(args, run, pid=None):
    """Run `run` args.repeat times.

    \return (reported seconds, all seconds, peak RSS, RSS before the first run,
    (median CPU-seconds of the server, median CPU-seconds of this process)): on a
    loaded machine wall-clock time mostly measures the scheduler, CPU-seconds mostly
    do not.
    """
    times, peak, start, server_cpu, client_cpu = [], 0, 0, [], []
    for _ in range(args.repeat):
        before = (cpu_seconds(pid) if pid else 0, time.process_time())
        if pid is None:
            times.append(run())
        else:
            with PeakRss(pid) as rss:
                times.append(run())
            peak = max(peak, rss.peak)
            start = start or rss.start
            server_cpu.append(cpu_seconds(pid) - before[0])
        client_cpu.append(time.process_time() - before[1])
    cpu = (statistics.median(server_cpu) if server_cpu else None,
           statistics.median(client_cpu))
    return pick(times, args.stat), tuple(times), peak, start, cpu


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


def in_process_write(path, ds, row_group_rows):
    """Write the dataset as quiverd does by default: zstd, statistics, page indexes,
    dictionaries of up to 128 KiB per column chunk, row groups of `row_group_rows` rows,
    fsync. The DoPut's ceiling on this machine."""
    start = time.perf_counter()
    with pa.parquet.ParquetWriter(path, ds.schema, compression="zstd",
                                  write_statistics=True, write_page_index=True,
                                  dictionary_pagesize_limit=128 * 1024) as writer:
        pending, pending_rows = [], 0
        for batch in ds.batches():
            pending.append(batch)
            pending_rows += batch.num_rows
            if pending_rows >= row_group_rows:
                table = pa.Table.from_batches(pending)
                keep = pending_rows - pending_rows % row_group_rows
                writer.write_table(table.slice(0, keep), row_group_size=row_group_rows)
                pending = table.slice(keep).to_batches()
                pending_rows -= keep
        if pending:
            writer.write_table(pa.Table.from_batches(pending, ds.schema),
                               row_group_size=row_group_rows)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    seconds = time.perf_counter() - start
    os.unlink(path)
    return seconds


def selective_get(client, ds):
    """quiverd's read of `id < 1%` on two columns (id, value); all its endpoints."""
    _, limit, encoded = mid_filter(ds)
    request = {"dataset": ds.name, "columns": ["id", "value"], "filter": encoded}
    start = time.perf_counter()
    info = client.get_flight_info(
        pa.flight.FlightDescriptor.for_command(json.dumps(request).encode()))
    rows = sum(chunk.data.num_rows for e in info.endpoints for chunk in client.do_get(e.ticket))
    seconds = time.perf_counter() - start
    if rows != limit:
        raise RuntimeError(f"selective read of {ds.name} returned {rows} rows, expected {limit}")
    return seconds


def in_process_selective(path, ds):
    """The same selective read in this process: pyarrow.dataset over the stored file."""
    expression, limit, _ = mid_filter(ds)
    start = time.perf_counter()
    table = pa.dataset.dataset(path, format="parquet").to_table(
        columns=["id", "value"], filter=expression)
    seconds = time.perf_counter() - start
    if table.num_rows != limit:
        raise RuntimeError(f"in-process selective read returned {table.num_rows} rows")
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
        server = Server.quiverd(kind, args.quiverd, root, *args.quiverd_arg)
    elif kind == "quiverd-snappy":
        server = Server.quiverd(kind, args.quiverd, root, "--compression", "snappy",
                                *args.quiverd_arg)
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
                seconds, times, peak, start, cpu = repeated(
                    args, lambda: fn(client, ds), server.pid)
                rows.append(Row(kind, op, ds.key, seconds, ds.nbytes, ds.rows, peak, start,
                                times, *cpu))
            if ds.key == "mid" and kind.startswith("quiverd"):
                log(f"{kind}: selective read of {ds.key} x{args.repeat}")
                seconds, times, peak, start, cpu = repeated(
                    args, lambda: selective_get(client, ds), server.pid)
                rows.append(Row(kind, "DoGet 1%", ds.key, seconds, 0, ds.rows // 100,
                                peak, start, times, *cpu))
            path = stored_file(root, ds.name)
            pf = pa.parquet.ParquetFile(path)
            notes.setdefault("stored", []).append(
                f"{kind} stored {ds.key} in {path.stat().st_size / MiB:,.2f} MiB of Parquet "
                f"({pf.metadata.num_row_groups} row groups, "
                f"{pf.metadata.row_group(0).column(0).compression})")
            pf.close()
            if kind == "quiverd":
                scratch = workdir / "in-process.parquet"
                ops = [("read_table", in_process_read), ("iter_batches", in_process_iter),
                       ("write", lambda _, ds: in_process_write(scratch, ds,
                                                                args.row_group_rows))]
                if ds.key == "mid":
                    ops.append(("selective", in_process_selective))
                for op, fn in ops:
                    log(f"in-process {op} of quiverd's {ds.key} file x{args.repeat}")
                    seconds, times, _, _, cpu = repeated(args, lambda: fn(path, ds))
                    rows.append(Row("in-process", op, ds.key, seconds, ds.nbytes, ds.rows,
                                    all_seconds=times, client_cpu=cpu[1]))
            list(client.do_action(pa.flight.Action("drop_dataset", ds.name.encode())))

        if not args.no_list:
            log(f"{kind}: uploading {args.list_count} tiny datasets")
            with PeakRss(server.pid) as rss:
                seconds = upload_tiny(server.location, args.list_count)
            rows.append(Row(kind, f"DoPut x{args.list_count}", "tiny", seconds, 0,
                            args.list_count, rss.peak, rss.start, (seconds,)))
            log(f"{kind}: ListFlights over {args.list_count} x{args.repeat}")
            seconds, times, peak, start, cpu = repeated(
                args, lambda: list_all(client, args.list_count), server.pid)
            rows.append(Row(kind, "ListFlights", f"{args.list_count} tiny", seconds, 0,
                            args.list_count, peak, start, times, *cpu))
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
    header = ["server", "operation", "dataset", "MB/s", "rows/s", "seconds", "server CPU s",
              "client CPU s", "peak RSS MiB", "RSS before MiB"]
    body = [[r.server, r.op, r.dataset, fmt(r.mb_per_s, ",.1f"), fmt(r.rows_per_s, ",.0f"),
             "-" if r.op == "idle" else f"{r.seconds:.3f}",
             fmt(r.server_cpu, ".3f"), fmt(r.client_cpu, ".3f"),
             fmt(r.peak_rss / MiB if r.peak_rss else None, ",.0f"),
             fmt(r.start_rss / MiB if r.start_rss else None, ",.0f")] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *body)]
    right = [False, False, False, True, True, True, True, True, True, True]

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

    def cpu_ratio(a, a_cpu, b, b_cpu):
        """b's CPU-seconds / a's: the same ratio measured in CPU rather than wall time."""
        a_s, b_s = (getattr(a, a_cpu) if a else None), (getattr(b, b_cpu) if b else None)
        return b_s / a_s if a_s and b_s else None

    for ds in datasets:
        q_get, q_put = find(rows, "quiverd", "DoGet", ds.key), find(rows, "quiverd", "DoPut", ds.key)
        st_get, st_put = find(rows, "streaming", "DoGet", ds.key), find(rows, "streaming", "DoPut", ds.key)
        si_get = find(rows, "simple", "DoGet", ds.key)
        si_put = find(rows, "simple", "DoPut", ds.key)
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
            (f"DoPut {ds.key}: quiverd >= simple cookbook (issue 17)",
             throughput_ratio(q_put, si_put), 1.0),
            (f"DoPut {ds.key}: quiverd >= 0.9 x in-process write (issue 17)",
             throughput_ratio(q_put, written), 0.9),
            (f"  (CPU) DoPut {ds.key}: in-process write CPU-s / quiverd's CPU-s",
             cpu_ratio(q_put, "server_cpu", written, "client_cpu"), 0.9),
            (f"DoGet {ds.key}: quiverd >= 0.85 x in-process read_table",
             throughput_ratio(q_get, ceiling), 0.85),
            (f"  (not in the issue) DoGet {ds.key}: quiverd >= 0.85 x in-process "
             "iter_batches",
             throughput_ratio(q_get, streamed), 0.85),
        ]
        if ds.key == "mid":
            checks += [
                ("DoGet 1% mid: selective read >= 10x the full DoGet (issue 17)",
                 throughput_ratio(find(rows, "quiverd", "DoGet 1%", "mid"), q_get), 10.0),
                ("  (CPU) DoGet 1% mid: quiverd's CPU-s, full DoGet / selective read",
                 cpu_ratio(find(rows, "quiverd", "DoGet 1%", "mid"), "server_cpu",
                           q_get, "server_cpu"), 10.0),
                ("  (not in the issue) DoGet 1% mid: quiverd >= 0.8 x in-process "
                 "pyarrow.dataset",
                 throughput_ratio(find(rows, "quiverd", "DoGet 1%", "mid"),
                                  find(rows, "in-process", "selective", "mid")), 0.8),
            ]
    for key, limit in (("wide", 256), ("mid", 160)):
        measured = [r for r in rows if r.server == "quiverd" and r.dataset == key
                    and r.op in ("DoPut", "DoGet")]
        peak = max((r.peak_rss for r in measured), default=0)
        checks.append((f"peak RSS {key}: quiverd <= {limit} MiB (ratio = {limit} MiB / peak)",
                       limit * MiB / peak if peak else None, 1.0))
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
        datasets = [ints] if "ints" in args.datasets else []
        if "wide" in args.datasets:
            log(f"generating the wide dataset ({args.wide_mib:g} MiB of Arrow data)")
            t0 = time.perf_counter()
            wide = make_wide_dataset(workdir / "wide.arrow", int(args.wide_mib * MiB))
            log(f"  {wide.rows:,} rows, {wide.nbytes / MiB:,.0f} MiB, "
                f"{time.perf_counter() - t0:.1f} s")
            datasets.append(wide)
        if "mid" in args.datasets:
            datasets.append(make_mid_dataset(args.mid_rows))
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
    settings = (f"repeat {args.repeat} ({args.stat}); "
                + "; ".join(f"{ds.key} {ds.rows:,} rows ({ds.nbytes / MiB:,.1f} MiB, "
                            f"{len(ds.schema)} columns)" for ds in datasets)
                + ("" if args.no_list else f"; ListFlights over {args.list_count:,} datasets")
                + (f"; quiverd flags {' '.join(args.quiverd_arg)}" if args.quiverd_arg else "")
                + ("; QUICK sizes: the checks are not meaningful" if args.quick else ""))
    print(table)
    print()
    print("Targets (issues 2 and 17):")
    print(checks)
    print()
    print(settings)

    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"{started.strftime('%Y%m%dT%H%M%SZ')}.md"
    with open(out, "w") as f:
        f.write(f"# quiver benchmark, {started.isoformat(timespec='seconds')}\n\n")
        f.write(f"{table}\n\n## Targets (issues 2 and 17)\n\n```\n{checks}\n```\n\n## Run\n\n")
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
