#!/usr/bin/env python3
"""quiverd over object storage: DoPut and DoGet of the wide dataset through quiverd on
the local S3 server, against pyarrow on the same server directly, against quiverd on a
local disk, and two nodes serving one dataset against one node.

Everything runs on this machine: the S3 server of the tests (scripts/s3-server.sh,
versitygw on loopback), one or two quiverd (build/bin/quiverd) on one bucket, and the
client. For each figure it reports seconds (median of --repeat runs), MB/s of Arrow data
(the in-memory size, as bench.py) and the peak RSS of each quiverd during the operation.

  * pyarrow direct  write: ParquetWriter onto S3 as quiverd writes (zstd, statistics,
                    row groups of 64 MiB of Arrow data); read: iter_batches(65536) of the
                    object, streaming as a DoGet reads;
  * quiverd S3      DoPut, DoGet with --root s3://bucket/...;
  * quiverd local   DoPut, DoGet with a local --root;
  * S3 + cache      DoGet through a node with --cache-dir: the read that fills the
                    part cache, then a read served from it (no request to the store);
  * scale-out       aggregate DoGet of two clients reading the dataset at once, from one
                    node (both streams on it) and from two nodes (one stream each).

Targets: quiverd's DoGet over S3 >= 0.8 x pyarrow's direct read; peak RSS per
node < 256 MiB; two nodes >= 1.5 x one node in aggregate DoGet.

    .venv/bin/python bench/bench_s3.py [--mib 1024] [--repeat 1] [--workdir DIR]
"""
import argparse
import os
import pathlib
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import pyarrow as pa
import pyarrow.flight
import pyarrow.fs

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import bench  # noqa: E402  (the wide dataset, DoPut/DoGet clients, peak RSS sampler)
import s3_direct  # noqa: E402  (the S3 server for the run, pyarrow's direct write/read)

MiB = 1 << 20
MB = 1_000_000


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mib", type=float, default=1024, help="Arrow size of the wide dataset")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--quiverd", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
                   / "quiverd")
    p.add_argument("--workdir", type=pathlib.Path, default=None,
                   help="parent of the run's temporary directory (server data, files)")
    return p.parse_args(argv)


class Node:
    """One quiverd on a free loopback port."""

    def __init__(self, binary, root, log_path, env, *flags):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen([str(binary), "--listen", "127.0.0.1:0", "--root", root,
                                      "--metrics-listen", "127.0.0.1:0", *flags],
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **env})
        deadline = time.monotonic() + 60
        while not (m := re.search(r"quiverd listening on (grpc://\S+:\d+)", self.log())):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"quiverd did not start:\n{self.log()}")
            time.sleep(0.05)
        self.location = m.group(1)
        self.pid = self.proc.pid
        while not (m := re.search(r"metrics listening on (http://\S+:\d+)", self.log())):
            time.sleep(0.05)
        self.metrics = m.group(1)

    def requests(self):
        """{(family, operation): value} of the quiver_object_store_* counters."""
        import urllib.request
        with urllib.request.urlopen(self.metrics + "/metrics", timeout=10) as r:
            text = r.read().decode()
        out = {}
        for line in text.splitlines():
            m = re.match(r'quiver_object_store_(requests|bytes|errors)_total'
                         r'\{operation="(\w+)"\} (\S+)', line)
            if m:
                out[(m.group(1), m.group(2))] = float(m.group(3))
        return out

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)
        self._log.close()


def measured(repeat, run, pids):
    """(median seconds, [peak RSS of each pid])"""
    times, peaks = [], [0] * len(pids)
    for _ in range(repeat):
        samplers = [bench.PeakRss(pid) for pid in pids]
        for s in samplers:
            s.__enter__()
        try:
            times.append(run())
        finally:
            for s in samplers:
                s.__exit__(None, None, None)
        peaks = [max(p, s.peak) for p, s in zip(peaks, samplers)]
    return statistics.median(times), peaks


def parallel_gets(locations, ds):
    """Read the dataset once per location, all at once; seconds until the last ends."""
    errors, threads = [], []

    def one(location):
        try:
            bench.do_get(pa.flight.connect(location), ds)
        except Exception as e:  # reported below
            errors.append(e)

    start = time.perf_counter()
    for location in locations:
        threads.append(threading.Thread(target=one, args=(location,)))
        threads[-1].start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def main(argv=None):
    args = parse_args(argv)
    if not args.quiverd.is_file():
        sys.exit(f"no quiverd at {args.quiverd}: build it first (scripts/dev.sh build)")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="quiver-bench-s3-", dir=args.workdir))
    load_before = os.getloadavg()
    print(f"generating the wide dataset ({args.mib:g} MiB of Arrow data)", file=sys.stderr)
    ds = bench.make_wide_dataset(tmp / "wide.arrows", int(args.mib * MiB))
    s3 = s3_direct.S3(tmp / "s3")
    env = dict(line.split("=", 1) for line in (tmp / "s3" / "env").read_text().splitlines()
               if "=" in line)
    node_env = {k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")}
    node_env["AWS_EC2_METADATA_DISABLED"] = "true"
    uri = (f"s3://{s3_direct.BUCKET}/quiver?endpoint_override={s3.endpoint}&scheme=http"
           f"&region={env['AWS_REGION']}")
    rows, nodes, traffic = [], [], []

    def count_requests(node, what, run):
        """Run `run`, and record the object-store requests `node` made for it."""
        before = node.requests()
        result = run()
        after = node.requests()
        traffic.append((what, {k: after.get(k, 0) - before.get(k, 0) for k in after}))
        return result

    def row(what, op, seconds, peaks, nbytes=ds.nbytes):
        rows.append((what, op, seconds, nbytes / MB / seconds, peaks))
        print(f"  {what:16} {op:22} {seconds:7.2f} s", file=sys.stderr)

    try:
        # pyarrow, no quiver.
        path = f"{s3_direct.BUCKET}/direct/wide.parquet"
        seconds, _ = measured(args.repeat, lambda: s3_direct.write(ds, path, s3.fs), [])
        row("pyarrow direct", "write (S3)", seconds, [])
        seconds, _ = measured(args.repeat, lambda: s3_direct.iterate(ds, path, s3.fs), [])
        row("pyarrow direct", "iter_batches (S3)", seconds, [])
        direct_read = seconds

        # quiverd on a local disk.
        local = Node(args.quiverd, str(tmp / "local-root"), tmp / "local.log", {})
        nodes.append(local)
        client = pa.flight.connect(local.location)
        seconds, peaks = measured(args.repeat, lambda: bench.do_put(client, ds), [local.pid])
        row("quiverd local", "DoPut", seconds, peaks)
        seconds, peaks = measured(args.repeat, lambda: bench.do_get(client, ds), [local.pid])
        row("quiverd local", "DoGet", seconds, peaks)
        local.stop()
        subprocess.run(["rm", "-rf", str(tmp / "local-root")], check=False)

        # quiverd over S3: one node, then two on the same root.
        a = Node(args.quiverd, uri, tmp / "a.log", node_env)
        nodes.append(a)
        client = pa.flight.connect(a.location)
        seconds, peaks = measured(args.repeat, lambda: count_requests(
            a, "DoPut", lambda: bench.do_put(client, ds)), [a.pid])
        row("quiverd S3", "DoPut", seconds, peaks)
        seconds, peaks = measured(args.repeat, lambda: count_requests(
            a, "DoGet", lambda: bench.do_get(client, ds)), [a.pid])
        row("quiverd S3", "DoGet", seconds, peaks)
        quiverd_read = seconds
        b = Node(args.quiverd, uri, tmp / "b.log", node_env)
        nodes.append(b)
        seconds, peaks = measured(args.repeat,
                                  lambda: parallel_gets([a.location, a.location], ds),
                                  [a.pid, b.pid])
        row("1 node, S3", "2 DoGets at once", seconds, peaks, 2 * ds.nbytes)
        one_node = seconds
        seconds, peaks = measured(args.repeat,
                                  lambda: parallel_gets([a.location, b.location], ds),
                                  [a.pid, b.pid])
        row("2 nodes, S3", "1 DoGet on each", seconds, peaks, 2 * ds.nbytes)
        two_nodes = seconds
        a.stop()
        b.stop()

        # A node with a part cache: the first DoGet fills it, the next ones use it.
        c = Node(args.quiverd, uri, tmp / "c.log", node_env, "--cache-dir", str(tmp / "cache"))
        nodes.append(c)
        client = pa.flight.connect(c.location)
        seconds, peaks = measured(1, lambda: bench.do_get(client, ds), [c.pid])
        row("quiverd S3+cache", "DoGet filling the cache", seconds, peaks)
        deadline = time.monotonic() + 300
        while not list((tmp / "cache").rglob("*.arrow")) and time.monotonic() < deadline:
            time.sleep(0.1)  # the entry is written in the background
        seconds, peaks = measured(args.repeat, lambda: count_requests(
            c, "DoGet (part cache)", lambda: bench.do_get(client, ds)), [c.pid])
        row("quiverd S3+cache", "DoGet from the cache", seconds, peaks)
    finally:
        for node in nodes:
            node.stop()
        s3.stop()
    load_after = os.getloadavg()

    print(f"\nwide dataset: {ds.rows:,} rows, {ds.nbytes / MiB:,.0f} MiB of Arrow data; "
          f"{args.repeat} run(s), median; {os.cpu_count()} cores, load average "
          f"{load_before[0]:.1f} -> {load_after[0]:.1f}\n")
    print("| what | operation | seconds | Arrow MB/s | peak RSS per node (MiB) |")
    print("|---|---|---:|---:|---|")
    for what, op, seconds, rate, peaks in rows:
        rss = ", ".join(f"{p / MiB:.0f}" for p in peaks) if peaks else "-"
        print(f"| {what} | {op} | {seconds:.2f} | {rate:.0f} | {rss} |")
    print("\nobject-store requests per GiB of Arrow data (last run of each):\n")
    print("| call | operation | requests / GiB | MiB moved / GiB |")
    print("|---|---|---:|---:|")
    gib = ds.nbytes / (1 << 30)
    for what, counts in dict(traffic).items():  # the last run of each
        made = [(op, value) for (family, op), value in sorted(counts.items())
                if family == "requests" and value != 0]
        for op, value in made:
            moved = counts.get(("bytes", op), 0) / MiB / gib
            print(f"| {what} | {op} | {value / gib:.1f} | {moved:.0f} |")
        if not made:
            print(f"| {what} | (none) | 0 | 0 |")
    peak = max((max(p) for *_, p in rows if p), default=0)
    print("\n| target | measured | met |")
    print("|---|---|---|")
    ratio = direct_read / quiverd_read
    print(f"| DoGet over S3 >= 0.8 x pyarrow iter_batches | {ratio:.2f} x | "
          f"{'yes' if ratio >= 0.8 else 'no'} |")
    print(f"| peak RSS per node < 256 MiB | {peak / MiB:.0f} MiB | "
          f"{'yes' if peak < 256 * MiB else 'no'} |")
    scale = one_node / two_nodes
    print(f"| 2 nodes >= 1.5 x 1 node (aggregate DoGet) | {scale:.2f} x | "
          f"{'yes' if scale >= 1.5 else 'no'} |")
    subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    main()
