"""The datasets of tests/interop/fixtures/legacy-root: a root written by quiverd 0.1.0
(one Parquet file per dataset), which later releases must migrate losing nothing.

`python legacy_fixture.py QUIVERD_0_1_0 OUT_DIR` re-creates it with that release's
binary; the test compares what a new quiverd serves with `tables()`.
"""
import datetime
import decimal
import subprocess
import sys
import time

import pyarrow as pa


def tables():
    n = 1000
    return {
        "uploaded.parquet": pa.table([["Mario", "Luigi", "Peach"]], names=["Character"]),
        "sales/2024": pa.table({
            "id": pa.array(range(n), pa.int64()),
            "city": pa.array([["Oslo", "Quito", "Lima", None][i % 4] for i in range(n)]),
            "amount": pa.array([decimal.Decimal(i) / 100 for i in range(n)],
                               pa.decimal128(12, 2)),
            "at": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=i)
                            for i in range(n)], pa.timestamp("us", tz="Europe/Oslo")),
            "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 365)
                             for i in range(n)], pa.date32()),
            "tags": pa.array([[str(i), "x"] if i % 3 else None for i in range(n)],
                             pa.list_(pa.string())),
            "kind": pa.array(["a", "b"] * (n // 2)).dictionary_encode(),
        }),
        "données/été": pa.table({"n": pa.array([1, None, 3], pa.int32())}),
        "empty": pa.table({"a": pa.array([], pa.int64()), "b": pa.array([], pa.string())}),
        # Three row groups (1 Mi rows each at most), small on disk.
        "big": pa.table({"x": pa.array([i % 7 for i in range(2_200_000)], pa.int64())}),
    }


def create(quiverd, out_dir):
    import pyarrow.flight
    import re
    proc = subprocess.Popen([quiverd, "--listen", "127.0.0.1:0", "--root", out_dir],
                            stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        line = proc.stderr.readline()
        m = re.search(r"listening on grpc://127.0.0.1:(\d+)", line)
        if m:
            port = int(m.group(1))
    client = pa.flight.connect(f"grpc://127.0.0.1:{port}")
    for name, table in tables().items():
        writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path(*name.split("/")),
                                  table.schema)
        writer.write_table(table, max_chunksize=65536)
        writer.close()
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    create(sys.argv[1], sys.argv[2])
