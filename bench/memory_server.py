#!/usr/bin/env python3
"""A Flight server that streams one Arrow IPC file from memory: a yardstick only.

It reads the file into memory once and answers every DoGet with a
`pyarrow.flight.RecordBatchStream` of it (Arrow C++ streams the batches, no Python per
batch, no Parquet decoding). No server can answer a DoGet faster than this one on the
same machine, client and data, so its time is the floor under any full DoGet:
bench_reads.py uses it to say what ratio against another server is possible at all.

    .venv/bin/python bench/memory_server.py --file DATA.arrow [--host H] [--port P]
"""
import argparse

import pyarrow as pa
import pyarrow.flight as flight


class MemoryServer(flight.FlightServerBase):
    def __init__(self, location, table):
        super().__init__(location)
        self._table = table

    def do_get(self, context, ticket):
        return flight.RecordBatchStream(self._table)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", required=True, help="Arrow IPC file to serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with pa.OSFile(args.file, "rb") as source:  # read, not mapped: the data is in memory
        table = pa.ipc.open_file(source).read_all()
    server = MemoryServer(f"grpc://{args.host}:{args.port}", table)
    print(f"memory server on grpc://{args.host}:{server.port}", flush=True)
    server.serve()


if __name__ == "__main__":
    main()
