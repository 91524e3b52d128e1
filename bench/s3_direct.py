#!/usr/bin/env python3
"""pyarrow reading and writing Parquet directly on the local S3 server: the baseline.

What a user does without quiver: pyarrow's S3 file system against the S3-compatible
server of the tests (scripts/s3-server.sh: versitygw on a free loopback port, data in
a temporary directory). The later quiverd-over-S3 benchmark compares with these figures.

On the wide dataset of bench/bench.py (default 256 MiB of Arrow memory), written as
quiverd writes it (zstd, statistics, row groups of 64 MiB of Arrow data), it times, each
`--repeat` times (median reported):

  * write      ParquetWriter onto S3 (multipart upload), until close() returns;
  * get        one sequential GET of the whole object (the network path's ceiling);
  * read_table pyarrow.parquet.read_table (pre-buffered, threaded column reads);
  * iter       ParquetFile.iter_batches(65536): streaming, the way a DoGet reads;

and the same write/read_table/iter on local disk for reference. MB/s are of Arrow bytes
(the in-memory size), as in bench.py; the object size is printed too.

    .venv/bin/python bench/s3_direct.py [--mib 256] [--repeat 3] [--workdir DIR]
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.fs
import pyarrow.parquet as pq

REPO = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "s3-server.sh"
sys.path.insert(0, str(REPO / "bench"))
import bench  # noqa: E402  (the wide dataset generator)

MiB = 1 << 20
MB = 1_000_000
BUCKET = "bench"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mib", type=float, default=256, help="Arrow size of the wide dataset")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workdir", type=pathlib.Path, default=None,
                   help="parent of the run's temporary directory (server data, files)")
    return p.parse_args(argv)


class S3:
    """The test S3 server, started for this run."""

    def __init__(self, directory):
        self.dir = directory
        out = subprocess.run(["bash", str(SCRIPT), "start", "--parent", str(os.getpid()),
                              str(directory), BUCKET], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"s3-server.sh start failed ({out.returncode}): {out.stderr}")
        env = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        self.endpoint = env["S3_ENDPOINT"]
        self.fs = pa.fs.S3FileSystem(access_key=env["AWS_ACCESS_KEY_ID"],
                                     secret_key=env["AWS_SECRET_ACCESS_KEY"],
                                     endpoint_override=self.endpoint, scheme="http",
                                     region=env["AWS_REGION"])

    def stop(self):
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.dir)], check=False)


def write(ds, path, filesystem):
    """As quiverd writes: zstd, statistics, a row group per 64 MiB of Arrow data."""
    start = time.perf_counter()
    with pq.ParquetWriter(path, ds.schema, compression="zstd", write_statistics=True,
                          filesystem=filesystem) as writer:
        pending, pending_bytes = [], 0
        for batch in ds.batches():
            pending.append(batch)
            pending_bytes += batch.nbytes
            if pending_bytes >= 64 * MiB:
                writer.write_table(pa.Table.from_batches(pending), row_group_size=1 << 20)
                pending, pending_bytes = [], 0
        if pending:
            writer.write_table(pa.Table.from_batches(pending), row_group_size=1 << 20)
    return time.perf_counter() - start


def get_object(path, filesystem):
    start = time.perf_counter()
    n = 0
    with filesystem.open_input_stream(path) as f:
        while chunk := f.read(8 * MiB):
            n += len(chunk)
    return time.perf_counter() - start


def read_table(ds, path, filesystem):
    start = time.perf_counter()
    table = pq.read_table(path, filesystem=filesystem)
    seconds = time.perf_counter() - start
    assert table.num_rows == ds.rows, table.num_rows
    return seconds


def iterate(ds, path, filesystem):
    start = time.perf_counter()
    rows = 0
    with filesystem.open_input_file(path) as f:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=64 * 1024):
            rows += batch.num_rows
    seconds = time.perf_counter() - start
    assert rows == ds.rows, rows
    return seconds


def timed(repeat, run):
    times = [run() for _ in range(repeat)]
    return statistics.median(times), times


def main(argv=None):
    args = parse_args(argv)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="quiver-s3bench-", dir=args.workdir))
    load_before = os.getloadavg()
    ds = bench.make_wide_dataset(tmp / "wide.arrows", int(args.mib * MiB))
    s3 = S3(tmp / "s3")
    local = pa.fs.LocalFileSystem()
    results, sizes = [], {}
    try:
        targets = [("s3", s3.fs, f"{BUCKET}/wide.parquet"),
                   ("local", local, str(tmp / "wide.parquet"))]
        for where, filesystem, path in targets:
            results.append((where, "write", *timed(args.repeat,
                                                   lambda: write(ds, path, filesystem))))
            sizes[where] = filesystem.get_file_info(path).size
            if where == "s3":
                results.append((where, "get", *timed(args.repeat,
                                                     lambda: get_object(path, filesystem))))
            results.append((where, "read_table",
                            *timed(args.repeat, lambda: read_table(ds, path, filesystem))))
            results.append((where, "iter", *timed(args.repeat,
                                                  lambda: iterate(ds, path, filesystem))))
    finally:
        s3.stop()
    load_after = os.getloadavg()

    print(f"wide dataset: {ds.rows} rows, {ds.nbytes / MiB:.0f} MiB Arrow, "
          f"{sizes['s3'] / MiB:.0f} MiB Parquet (zstd); {args.repeat} runs, median; "
          f"{os.cpu_count()} cores, load {load_before[0]:.1f} -> {load_after[0]:.1f}")
    print(f"{'where':6} {'op':11} {'seconds':>8} {'Arrow MB/s':>11}  all runs (s)")
    for where, op, seconds, times in results:
        rate = (sizes[where] if op == "get" else ds.nbytes) / MB / seconds
        unit = " (object bytes)" if op == "get" else ""
        runs = " ".join(f"{t:.2f}" for t in times)
        print(f"{where:6} {op:11} {seconds:8.2f} {rate:11.0f}  {runs}{unit}")
    subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    main()
