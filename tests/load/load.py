#!/usr/bin/env python3
"""quiver load suite: N concurrent Flight clients against one quiverd, on loopback.

Each client loops over a weighted mix of calls on datasets of its own (put, append, get,
info, list, drop, login) until the duration or the call budget is spent, then the run
prints per-call p50/p99 latency, throughput, errors (expected ones, such as refusals by
a configured limit, apart) and quiverd's peak RSS. Bounded in time and count, loopback
only: it starts its own quiverd on port 0 with a fresh root (or uses --location).

    tests/load/load.py --clients 200 --duration 60       # by hand
    tests/load/load.py --clients 20 --duration 5         # what the test suite runs

Exit status 1 when any unexpected error happened.
"""
import argparse
import json
import os
import pathlib
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import pyarrow as pa
import pyarrow.flight as flight

REPO = pathlib.Path(__file__).resolve().parents[2]
QUIVERD = pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin")) / "quiverd"
PASSWORD = "load-test-password"
# Relative weights of the calls in the mix.
MIX = {"put": 10, "append": 15, "get": 30, "info": 20, "list": 10, "drop": 5, "login": 1}
# Calls whose latency is reported as "small calls".
SMALL = ("info", "list", "drop")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--duration", type=float, default=5, help="seconds")
    p.add_argument("--max-calls", type=int, default=1_000_000,
                   help="stop after this many calls in all")
    p.add_argument("--rows", type=int, default=2000, help="rows per put/append")
    p.add_argument("--location", help="use this quiverd instead of starting one "
                   "(loopback only; logins need --users on it)")
    p.add_argument("--auth", action="store_true",
                   help="start quiverd with a users file and log every client in")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=pathlib.Path, help="also write the summary here")
    p.add_argument("--quiverd-flag", action="append", default=[],
                   help="extra flag for the quiverd started (repeatable)")
    return p.parse_args(argv)


class Quiverd:
    """quiverd on 127.0.0.1:0 with a fresh root; peak RSS read from /proc."""

    def __init__(self, workdir, auth, flags):
        self.workdir = workdir
        args = [str(QUIVERD), "--listen", "127.0.0.1:0", "--root", str(workdir / "root"),
                "--log-level", "warn", "--max-streams-per-user", "0", *flags]
        if auth:
            users = workdir / "users.json"
            subprocess.run([str(QUIVERD), "user", "add", "load", "--role", "writer",
                            "--users", str(users)], input=PASSWORD + "\n", text=True,
                           check=True, capture_output=True)
            args += ["--users", str(users)]
        self.log_path = workdir / "quiverd.log"
        self.log = open(self.log_path, "wb")
        # The listening line is logged at info; keep warnings and the listening line.
        args[args.index("--log-level") + 1] = "info"
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            m = re.search(r"listening on (\S+)://(\S+):(\d+)", self.log_path.read_text())
            if m:
                self.location = f"{m.group(1)}://{m.group(2)}:{m.group(3)}"
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("quiverd did not start:\n" + self.log_path.read_text())
            time.sleep(0.05)

    def status(self, field):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {op: [] for op in MIX}
        self.errors = {}            # "op: message" -> count, unexpected
        self.expected = {}          # same, expected (refusals by limits, login busy)
        self.calls = 0
        self.bytes = 0

    def record(self, op, seconds, nbytes=0):
        with self.lock:
            self.latency[op].append(seconds)
            self.bytes += nbytes

    def error(self, op, error, expected):
        key = f"{op}: {type(error).__name__}: {str(error).splitlines()[0][:160]}"
        with self.lock:
            target = self.expected if expected else self.errors
            target[key] = target.get(key, 0) + 1

    def take_call(self, budget):
        with self.lock:
            if self.calls >= budget:
                return False
            self.calls += 1
            return True


def is_expected(error):
    text = str(error)
    return ("--max-streams" in text or "logins are saturated" in text.lower()
            or "login" in text.lower() and isinstance(error, flight.FlightUnavailableError))


def client_loop(index, location, args, stats, deadline, rng):
    client = flight.connect(location)
    options = flight.FlightCallOptions()

    def login():
        token = client.authenticate_basic_token(b"load", PASSWORD.encode())
        return flight.FlightCallOptions(headers=[token])

    while args.auth and time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            options = login()
            stats.record("login", time.perf_counter() - start)
            break
        except Exception as error:  # noqa: BLE001
            stats.error("login", error, is_expected(error))
            time.sleep(0.2)
    names = [f"c{index}/d{k}" for k in range(3)]
    present = set()
    ops, weights = zip(*MIX.items())
    while time.monotonic() < deadline and stats.take_call(args.max_calls):
        op = rng.choices(ops, weights)[0]
        name = rng.choice(names)
        if op in ("get", "info", "append", "drop") and name not in present:
            op = "put"
        if op == "login" and not args.auth:
            op = "info" if present else "put"
        start = time.perf_counter()
        nbytes = 0
        try:
            if op in ("put", "append"):
                table = pa.table({"k": pa.array(range(args.rows), pa.int64()),
                                  "v": pa.array([index] * args.rows, pa.int32())})
                if op == "put":
                    descriptor = flight.FlightDescriptor.for_path(*name.split("/"))
                else:
                    descriptor = flight.FlightDescriptor.for_command(json.dumps(
                        {"dataset": name, "mode": "append"}))
                writer, _ = client.do_put(descriptor, table.schema, options=options)
                writer.write_table(table)
                writer.close()
                nbytes = table.nbytes
                present.add(name)
            elif op == "get":
                table = client.do_get(flight.Ticket(name.encode()), options=options).read_all()
                nbytes = table.nbytes
                assert table.num_rows % args.rows == 0, f"torn read of {name}"
            elif op == "info":
                info = client.get_flight_info(
                    flight.FlightDescriptor.for_path(*name.split("/")), options=options)
                assert info.total_records % args.rows == 0
            elif op == "list":
                mine = [f for f in client.list_flights(f"c{index}/".encode(), options=options)]
                assert {f.descriptor.path[0].decode() + "/" + f.descriptor.path[1].decode()
                        for f in mine} == present, "listing differs from what was stored"
            elif op == "drop":
                list(client.do_action(flight.Action("drop_dataset", name.encode()),
                                      options=options))
                present.discard(name)
            elif op == "login":
                options = login()
            stats.record(op, time.perf_counter() - start, nbytes)
        except Exception as error:  # noqa: BLE001 - every failure is counted
            stats.error(op, error, is_expected(error))
    client.close()


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(args):
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="quiver-load-"))
    server = None
    try:
        if args.location:
            location = args.location
        else:
            server = Quiverd(workdir, args.auth, args.quiverd_flag)
            location = server.location
        stats = Stats()
        rss_start = server.status("VmRSS") if server else 0
        threads_start = server.status("Threads") if server else 0
        start = time.monotonic()
        deadline = start + args.duration
        threads = [threading.Thread(target=client_loop,
                                    args=(i, location, args, stats, deadline,
                                          random.Random(args.seed * 100_003 + i)))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.duration + 120)
        hung = sum(t.is_alive() for t in threads)
        elapsed = time.monotonic() - start
        summary = {
            "clients": args.clients, "duration_s": round(elapsed, 1),
            "calls": sum(len(v) for v in stats.latency.values()),
            "calls_per_s": round(sum(len(v) for v in stats.latency.values()) / elapsed, 1),
            "mb_per_s": round(stats.bytes / elapsed / 1e6, 1),
            "unexpected_errors": sum(stats.errors.values()) + hung,
            "expected_errors": sum(stats.expected.values()),
            "errors": stats.errors, "expected": stats.expected, "hung_clients": hung,
            "latency_ms": {op: {"n": len(v), "p50": round(percentile(v, 50) * 1e3, 2),
                                "p99": round(percentile(v, 99) * 1e3, 2)}
                           for op, v in stats.latency.items() if v},
        }
        small = [x for op in SMALL for x in stats.latency[op]]
        summary["small_calls_ms"] = {"n": len(small),
                                     "p50": round(percentile(small, 50) * 1e3, 2),
                                     "p99": round(percentile(small, 99) * 1e3, 2)}
        if server:
            time.sleep(1.5)  # let finished calls' threads go
            summary["quiverd_peak_rss_mib"] = round(server.status("VmHWM") / 1024, 1)
            summary["quiverd_rss_start_mib"] = round(rss_start / 1024, 1)
            summary["quiverd_rss_end_mib"] = round(server.status("VmRSS") / 1024, 1)
            summary["quiverd_threads_start"] = threads_start
            summary["quiverd_threads_end"] = server.status("Threads")
            summary["quiverd_exit"] = server.stop()
            server = None
        return summary
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def print_summary(s):
    print(f"load: {s['clients']} clients, {s['duration_s']} s: {s['calls']} calls "
          f"({s['calls_per_s']}/s, {s['mb_per_s']} MB/s of Arrow data)")
    print(f"  small calls (info, list, drop): p50 {s['small_calls_ms']['p50']} ms, "
          f"p99 {s['small_calls_ms']['p99']} ms")
    for op, l in s["latency_ms"].items():
        print(f"  {op:7} n={l['n']:6}  p50 {l['p50']:8} ms  p99 {l['p99']:8} ms")
    if "quiverd_peak_rss_mib" in s:
        print(f"  quiverd RSS: {s['quiverd_rss_start_mib']} MiB at start, peak "
              f"{s['quiverd_peak_rss_mib']} MiB, {s['quiverd_rss_end_mib']} MiB at the end; "
              f"threads {s['quiverd_threads_start']} -> {s['quiverd_threads_end']}")
    print(f"  errors: {s['unexpected_errors']} unexpected, {s['expected_errors']} expected")
    for key, count in {**s["errors"], **s["expected"]}.items():
        print(f"    {count} x {key}")


def main(argv=None):
    args = parse_args(argv)
    summary = run(args)
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 1 if summary["unexpected_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
