#!/usr/bin/env python3
"""kill -9 harness for quiverd's versioned store.

Each run starts quiverd on the same root with retention and compaction set to act all the
time (GC every second, no grace period, 3 versions kept, compaction above 4 parts), lets
several client threads commit against it, kills it with SIGKILL after a random delay,
and restarts it on the same root to check that:

  * no file is left uncommitted after start-up and the start-up logs no warning or error;
  * every dataset's current version, and every older version still stored, is whole:
    DoGet works and returns FlightInfo.total_records rows, the rows its manifest lists;
  * no acknowledged commit is lost: in the append-only datasets (appended to by several
    clients at once, also compacted) every acknowledged row id is present, none twice,
    and none that was never sent; a dataset also overwritten, restored and dropped (one
    client each, so its history is a sequence) holds exactly the last acknowledged state
    or the state the commit in flight at the kill would have made.

Every commit is counted as acknowledged only when its DoPut or action returned OK.

    .venv/bin/python tests/crash/crash_harness.py --kills 200 --seed 1

prints one line per run and the totals; the exit code is 0 only if every check held.
tests/interop/test_crash_harness.py runs it at a small count.
"""
import argparse
import dataclasses
import itertools
import json
import os
import pathlib
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "interop"))
from conftest import stored_versions, uncommitted_files  # noqa: E402

SCHEMA = pa.schema([("id", pa.int64()), ("note", pa.string())])
LISTEN_RE = re.compile(r"quiverd listening on (\S+)://(\S+):(\d+)")
# spdlog's text format: "<time> <level> <message>".
BAD_LEVEL_RE = re.compile(r"^\S+ (warning|warn|error|critical) ", re.MULTILINE)
ERROR_LEVEL_RE = re.compile(r"^\S+ (error|critical) ", re.MULTILINE)
OPTIONS = pa.flight.FlightCallOptions(timeout=60)

# Errors an operation may meet on a live server without anything being wrong.
EXPECTED_ERRORS = {
    "restore": ("not found", "does not exist", "no longer exists", "is its drop"),
    "compact": ("not found", "does not exist", "no longer exists",
                "was replaced during its compaction"),
    "drop": ("not found",),
}


def rows(ids):
    ids = pa.array(ids, pa.int64())
    return pa.record_batch([ids, pc.binary_join_element_wise(
        pa.scalar("n"), pc.cast(ids, pa.string()), "")], schema=SCHEMA)


def path_of(name):
    return pa.flight.FlightDescriptor.for_path(*name.split("/"))


def command(**request):
    return pa.flight.FlightDescriptor.for_command(json.dumps(request).encode())


def action(client, kind, body):
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    return [json.loads(r.body.to_pybytes())
            for r in client.do_action(pa.flight.Action(kind, body), options=OPTIONS)]


def put(client, descriptor, ids):
    writer, _ = client.do_put(descriptor, SCHEMA, options=OPTIONS)
    writer.write_batch(rows(ids))
    writer.close()


def current_version(client, name):
    info = client.get_flight_info(path_of(name), options=OPTIONS)
    return json.loads(info.app_metadata)["version"], info.total_records


# ---------------------------------------------------------------------------------------
# quiverd


class Quiverd:
    def __init__(self, binary, root, log_path, flags):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [str(binary), "--root", str(root), "--listen", "127.0.0.1:0", *flags],
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            m = LISTEN_RE.search(self.log())
            if m:
                self.location = f"{m.group(1)}://{m.group(2)}:{m.group(3)}"
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"quiverd did not start:\n{self.log()}")
            time.sleep(0.02)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def startup_log(self):
        text = self.log()
        m = LISTEN_RE.search(text)
        return text[:m.end()] if m else text

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._log.close()


# ---------------------------------------------------------------------------------------
# what the clients were told


class AppendOnly:
    """A dataset only appended to (and compacted), by several clients at once."""

    def __init__(self, name):
        self.name = name
        self.acked = set()      # row ids of acknowledged appends
        self.sent = set()       # row ids ever sent (acknowledged or not)
        self.lock = threading.Lock()


class Sequential:
    """A dataset written by one client at a time: appends, overwrites, compactions,
    restores and drops. `state` is the tuple of its row ids, None while dropped."""

    def __init__(self, name):
        self.name = name
        self.state = None
        self.in_flight = None   # (operation, state if it commits) while a commit is sent
        self.versions = {}      # version -> row ids, for the versions this client made

    def possible(self):
        states = [self.state]
        if self.in_flight is not None:
            states.append(self.in_flight[1])
        return states


@dataclasses.dataclass
class Totals:
    kills: int = 0
    versions_verified: int = 0
    acked: int = 0
    lost: int = 0
    failures: list = dataclasses.field(default_factory=list)
    gc_runs_logged: int = 0
    compactions_logged: int = 0
    in_flight_at_kill: int = 0
    in_flight_committed: int = 0
    rows_in_flight_committed: int = 0


class Workload:
    def __init__(self, rng, appenders, sequential):
        self.rng = rng
        self.ids = itertools.count(1)
        self.ids_lock = threading.Lock()
        self.shared = [AppendOnly(f"shared/s{i}") for i in range(2)]
        self.seq = [Sequential(f"seq/q{i}") for i in range(sequential)]
        self.appenders = appenders
        self.generation = 0

    def new_ids(self, n):
        with self.ids_lock:
            first = next(self.ids)
            for _ in range(n - 1):
                next(self.ids)
        return list(range(first, first + n))

    def names(self):
        return [d.name for d in self.shared] + [d.name for d in self.seq]


class Run:
    """One server lifetime under load."""

    def __init__(self, work, location, seed):
        self.work = work
        self.location = location
        self.seed = seed
        self.killed = threading.Event()
        # Clients pause together now and then: the background compactions drain, and GC
        # gets its turn (it runs only when no compaction is queued).
        self.busy = threading.Event()
        self.busy.set()
        self.acked = 0
        self.ops = {}
        self.errors = []        # unexpected errors on a live server
        self.lock = threading.Lock()

    def pacer(self, rng):
        while not self.killed.is_set():
            self.killed.wait(rng.uniform(0.3, 1.0))
            self.busy.clear()
            self.killed.wait(rng.uniform(0.3, 1.0))
            self.busy.set()

    def wait_busy(self):
        while not self.busy.wait(0.05):
            if self.killed.is_set():
                return

    def count(self, op):
        with self.lock:
            self.acked += 1
            self.ops[op] = self.ops.get(op, 0) + 1

    def unexpected(self, what, error):
        if not self.killed.is_set():
            with self.lock:
                self.errors.append(f"{what}: {error}")

    def appender(self, index):
        rng = random.Random(self.seed * 1000 + index)
        client = pa.flight.connect(self.location)
        try:
            while not self.killed.is_set():
                self.wait_busy()
                ds = rng.choice(self.work.shared)
                if rng.random() < 0.08:
                    try:
                        action(client, "compact", ds.name)
                    except pa.ArrowException as e:
                        if not _expected("compact", e):
                            self.unexpected(f"compact {ds.name}", e)
                            return
                    continue
                ids = self.work.new_ids(rng.randint(1, 300))
                with ds.lock:
                    ds.sent.update(ids)
                try:
                    put(client, command(dataset=ds.name, mode="append"), ids)
                except pa.ArrowException as e:
                    self.unexpected(f"append {ds.name}", e)
                    return
                with ds.lock:
                    ds.acked.update(ids)
                self.count("append")
        finally:
            client.close()

    def sequential(self, ds, index):
        rng = random.Random(self.seed * 1000 + 500 + index)
        client = pa.flight.connect(self.location)
        try:
            while not self.killed.is_set():
                self.wait_busy()
                if not self._step(client, ds, rng):
                    return
        finally:
            client.close()

    def _step(self, client, ds, rng):
        """One operation on a Sequential dataset. \return False to stop."""
        state = ds.state
        roll = rng.random()
        recent = sorted(ds.versions)[-4:]
        if recent and (roll < 0.18 or (state is None and roll < 0.5)):
            op = "restore"
            version = rng.choice(recent)
            after = ds.versions[version]
            run = lambda: action(client, "restore_version",
                                 {"dataset": ds.name, "version": version})
        elif state is None or roll < 0.60:
            op = "append"
            ids = self.work.new_ids(rng.randint(1, 200))
            after = (state or ()) + tuple(ids)
            run = lambda: put(client, command(dataset=ds.name, mode="append"), ids)
        elif roll < 0.75:
            op = "overwrite"
            ids = self.work.new_ids(rng.randint(1, 400))
            after = tuple(ids)
            run = lambda: put(client, path_of(ds.name), ids)
        elif roll < 0.88:
            op, after = "compact", state
            run = lambda: action(client, "compact", ds.name)
        else:
            op, after = "drop", None
            run = lambda: action(client, "drop_dataset", ds.name)
        ds.in_flight = (op, after)
        try:
            run()
        except pa.ArrowException as e:
            if self.killed.is_set():
                return False    # stays in flight: the check accepts both outcomes
            ds.in_flight = None
            if _expected(op, e):
                return True
            self.unexpected(f"{op} {ds.name}", e)
            return False
        if state is None and op != "restore":
            ds.versions = {}    # a dropped dataset's history may have been removed
        ds.state = after
        ds.in_flight = None
        self.count(op)
        if after is None:
            return True
        try:
            version, records = current_version(client, ds.name)
        except pa.ArrowException as e:
            self.unexpected(f"GetFlightInfo {ds.name}", e)
            return False
        if records != len(after):
            self.unexpected(f"GetFlightInfo {ds.name}",
                            f"{records} rows after {op}, expected {len(after)}")
            return False
        ds.versions[version] = after
        return True


def _expected(op, error):
    return any(text in str(error) for text in EXPECTED_ERRORS.get(op, ()))


# ---------------------------------------------------------------------------------------
# the checks after a restart


class Checker:
    def __init__(self, work, root, client, totals, run_failures):
        self.work = work
        self.root = root
        self.client = client
        self.totals = totals
        self.failures = run_failures
        self.versions = 0
        self.newest_only = work.check_versions

    def fail(self, message):
        self.failures.append(message)

    def read(self, descriptor):
        info = self.client.get_flight_info(descriptor, options=OPTIONS)
        table = self.client.do_get(info.endpoints[0].ticket, options=OPTIONS).read_all()
        meta = json.loads(info.app_metadata)
        return info, meta, table

    def check_whole(self, name, info, meta, table, manifest):
        where = f"{name} v{meta['version']}"
        manifest_rows = sum(p["rows"] for p in manifest["parts"])
        if not (table.num_rows == info.total_records == manifest_rows == meta["rows"]):
            self.fail(f"{where}: DoGet {table.num_rows} rows, FlightInfo "
                      f"{info.total_records}, manifest {manifest_rows}")
        if table.schema != SCHEMA:
            self.fail(f"{where}: schema {table.schema}")
            return None
        expect = pc.binary_join_element_wise(
            pa.scalar("n"), pc.cast(table.column("id"), pa.string()), "")
        if not pc.all(pc.equal(expect, table.column("note"))).as_py() and table.num_rows:
            self.fail(f"{where}: a row's note does not match its id")
        return table.column("id").to_pylist()

    def dataset(self, name, known_versions=None):
        """Check every stored version of a dataset; \return the current row ids, or
        None if the dataset is not there."""
        manifests = {m["version"]: m for m in stored_versions(self.root, name)}
        try:
            info, meta, table = self.read(path_of(name))
        except pa.ArrowException as e:
            if "not found" in str(e):
                live = [m for m in manifests.values() if m["operation"] != "drop"]
                if manifests and max(manifests) in {m["version"] for m in live}:
                    self.fail(f"{name}: NOT_FOUND but its newest manifest is not a drop")
                return None
            self.fail(f"{name}: current version unreadable: {e}")
            return None
        if not manifests or meta["version"] != max(manifests):
            self.fail(f"{name}: current version {meta['version']} is not the newest "
                      f"manifest {max(manifests, default=None)}")
            return None
        ids = self.check_whole(name, info, meta, table, manifests[meta["version"]])
        self.versions += 1
        older = [e for e in action(self.client, "list_versions", name)
                 if e["version"] != meta["version"] and e["operation"] != "drop"]
        if self.newest_only:
            older = older[-self.newest_only:]
        for entry in older:
            version = entry["version"]
            if version not in manifests:
                self.fail(f"{name}: list_versions lists v{version} with no manifest")
                continue
            try:
                old = self.read(command(dataset=name, version=version))
            except pa.ArrowException as e:
                self.fail(f"{name} v{version}: unreadable: {e}")
                continue
            old_ids = self.check_whole(name, *old, manifests[version])
            self.versions += 1
            if known_versions and version in known_versions and \
                    tuple(old_ids or ()) != known_versions[version]:
                self.fail(f"{name} v{version}: holds other rows than when it was made")
        return ids

    def append_only(self, ds):
        ids = self.dataset(ds.name)
        if ids is None:
            if ds.acked:
                self.fail(f"{ds.name}: gone, with {len(ds.acked)} acknowledged rows")
                self.totals.lost += len(ds.acked)
            return
        present = set(ids)
        if len(present) != len(ids):
            self.fail(f"{ds.name}: {len(ids) - len(present)} duplicated row ids")
        missing = ds.acked - present
        if missing:
            self.fail(f"{ds.name}: {len(missing)} acknowledged rows lost, e.g. "
                      f"{sorted(missing)[:5]}")
            self.totals.lost += len(missing)
        phantom = present - ds.sent
        if phantom:
            self.fail(f"{ds.name}: {len(phantom)} rows never sent, e.g. {sorted(phantom)[:5]}")
        committed_in_flight = len(present - ds.acked)
        ds.acked, ds.sent = set(present), set(present)
        return committed_in_flight

    def sequential(self, ds):
        ids = self.dataset(ds.name, ds.versions)
        found = None if ids is None else tuple(ids)
        possible = ds.possible()
        if found not in possible:
            self.fail(f"{ds.name}: holds {_describe(found)}; acknowledged "
                      f"{_describe(ds.state)}, in flight "
                      f"{ds.in_flight[0] if ds.in_flight else None} -> "
                      f"{_describe(ds.in_flight[1]) if ds.in_flight else '-'}")
            self.totals.lost += 1
        in_flight_committed = ds.in_flight is not None and found != ds.state
        ds.state = found
        ds.in_flight = None
        if found is not None:
            version, _ = current_version(self.client, ds.name)
            ds.versions.setdefault(version, found)
        return in_flight_committed


def _text(segment):
    return segment.decode() if isinstance(segment, bytes) else segment


def _describe(state):
    if state is None:
        return "nothing (dropped)"
    return f"{len(state)} rows [{state[0] if state else ''}..{state[-1] if state else ''}]"


# ---------------------------------------------------------------------------------------
# the loop


def server_flags(args):
    return ["--gc-interval", "1s", "--gc-grace", "0s", "--retain-versions",
            str(args.retain_versions), "--retain-for", "0s", "--compact-threshold", "4"]


# The server that checks a crashed root runs no GC and no compaction, so that what it
# finds on disk is what start-up left.
CHECK_FLAGS = ["--gc-interval", "86400s", "--compact-threshold", "0", "--retain-for", "7d"]


def check_root(args, work, root, logs, totals, run_failures):
    """Restart on the crashed root and check everything. \return versions checked."""
    server = Quiverd(args.quiverd, root, logs / "check.log", CHECK_FLAGS)
    try:
        leftovers = uncommitted_files(root)
        if leftovers:
            run_failures.append(f"uncommitted files after start-up: "
                                f"{[str(p.relative_to(root)) for p in leftovers[:5]]}")
        for m in BAD_LEVEL_RE.finditer(server.startup_log()):
            line = server.startup_log()[m.start():].splitlines()[0]
            run_failures.append(f"start-up logged: {line}")
        client = pa.flight.connect(server.location)
        checker = Checker(work, root, client, totals, run_failures)
        rows_in_flight = sum(checker.append_only(ds) or 0 for ds in work.shared)
        committed = sum(1 for ds in work.seq if checker.sequential(ds))
        expected = {ds.name for ds in work.shared if ds.acked} | \
                   {ds.name for ds in work.seq if ds.state is not None}
        listed = {"/".join(_text(s) for s in f.descriptor.path)
                  for f in client.list_flights(options=OPTIONS)}
        if listed - expected:
            run_failures.append(f"unexpected datasets listed: {sorted(listed - expected)}")
        if expected - listed:
            run_failures.append(f"datasets missing from ListFlights: "
                                f"{sorted(expected - listed)}")
        # Bound the size of what every check reads: retire big append-only datasets.
        for i, ds in enumerate(work.shared):
            if len(ds.acked) > args.max_rows:
                action(client, "drop_dataset", ds.name)
                work.generation += 1
                work.shared[i] = AppendOnly(f"shared/s{i}-g{work.generation}")
        client.close()
        return checker.versions, committed, rows_in_flight
    finally:
        server.kill()


def one_run(args, work, root, logs, number, rng, totals):
    run_failures = []
    t0 = time.monotonic()
    server = Quiverd(args.quiverd, root, logs / "run.log", server_flags(args))
    startup = server.startup_log()
    for m in BAD_LEVEL_RE.finditer(startup):
        run_failures.append(f"start-up logged: {startup[m.start():].splitlines()[0]}")
    run = Run(work, server.location, rng.randrange(1 << 30))
    threads = [threading.Thread(target=run.appender, args=(i,))
               for i in range(args.appenders)]
    threads += [threading.Thread(target=run.sequential, args=(ds, i))
                for i, ds in enumerate(work.seq)]
    threads.append(threading.Thread(target=run.pacer, args=(random.Random(run.seed),)))
    for t in threads:
        t.start()
    delay = rng.uniform(args.min_delay, args.max_delay)
    time.sleep(delay)
    in_flight = [ds.in_flight[0] for ds in work.seq if ds.in_flight]
    run.killed.set()
    server.kill()
    for t in threads:
        t.join(timeout=60)
        if t.is_alive():
            run_failures.append("a client thread hung after the kill")
    log = server.log()
    gc_runs = log.count(" gc: deleted ")
    compactions = log.count(" compaction: dataset ")
    run_failures += [f"unexpected error on the live server: {e}" for e in run.errors]
    run_failures += [f"logged at error level: {log[m.start():].splitlines()[0]}"
                     for m in ERROR_LEVEL_RE.finditer(log)]

    t1 = time.monotonic()
    versions, committed, rows_in_flight = check_root(args, work, root, logs, totals, run_failures)
    totals.kills += 1
    totals.versions_verified += versions
    totals.acked += run.acked
    totals.gc_runs_logged += gc_runs
    totals.compactions_logged += compactions
    totals.in_flight_at_kill += len(in_flight)
    totals.in_flight_committed += committed
    totals.rows_in_flight_committed += rows_in_flight
    ops = ", ".join(f"{k} {v}" for k, v in sorted(run.ops.items()))
    print(f"run {number:4d}: killed after {delay:5.2f} s; acknowledged {run.acked:3d} "
          f"({ops}); in flight {in_flight or '-'}; gc passes {gc_runs}, compactions "
          f"{compactions}; verified {versions} versions; {t1 - t0:.1f} + "
          f"{time.monotonic() - t1:.1f} s; "
          + ("OK" if not run_failures else f"FAILED: {run_failures}"), flush=True)
    if run_failures:
        totals.failures += [f"run {number}: {f}" for f in run_failures]
    if run_failures or args.keep:
        keep = logs.parent / f"{'failed-' if run_failures else ''}run-{number}"
        shutil.copytree(logs, keep, dirs_exist_ok=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=20, help="runs, each ended by SIGKILL")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    p.add_argument("--appenders", type=int, default=3,
                   help="clients appending to the append-only datasets")
    p.add_argument("--sequential", type=int, default=2,
                   help="datasets appended, overwritten, restored and dropped")
    p.add_argument("--retain-versions", type=int, default=3)
    p.add_argument("--min-delay", type=float, default=0.5, help="seconds before a kill")
    p.add_argument("--max-delay", type=float, default=4.0)
    p.add_argument("--max-rows", type=int, default=100_000,
                   help="an append-only dataset above this is dropped and replaced")
    p.add_argument("--quiverd", type=pathlib.Path,
                   default=pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin"))
                   / "quiverd")
    p.add_argument("--workdir", type=pathlib.Path, default=None,
                   help="parent of the run's temporary directory (kept if a check fails)")
    p.add_argument("--check-versions", type=int, default=0,
                   help="older versions read back per dataset after a restart, newest "
                        "first (default 0: all of them)")
    p.add_argument("--keep", action="store_true",
                   help="keep the temporary directory and each run's server logs")
    args = p.parse_args(argv)
    if args.seed is None:
        args.seed = random.randrange(1 << 31)
    if not args.quiverd.is_file():
        p.error(f"no quiverd at {args.quiverd}: build it first (scripts/dev.sh build)")
    return args


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    parent = args.workdir or pathlib.Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="quiver-crash-", dir=parent))
    root, logs = workdir / "root", workdir / "logs"
    logs.mkdir()
    work = Workload(rng, args.appenders, args.sequential)
    work.check_versions = args.check_versions
    totals = Totals()
    print(f"crash harness: seed {args.seed}, {args.kills} kills, {args.appenders} "
          f"appenders, {args.sequential} sequential datasets, flags "
          f"{' '.join(server_flags(args))}", flush=True)
    started = time.monotonic()
    for number in range(1, args.kills + 1):
        one_run(args, work, root, logs, number, rng, totals)
    print(f"totals: {totals.kills} kills, {totals.versions_verified} versions verified, "
          f"{totals.acked} acknowledged commits, {totals.lost} lost; "
          f"{totals.in_flight_at_kill} sequential commits in flight at a kill "
          f"({totals.in_flight_committed} of them committed); "
          f"{totals.rows_in_flight_committed} unacknowledged appended rows found committed; "
          f"{totals.gc_runs_logged} GC passes and {totals.compactions_logged} compactions "
          f"logged; {len(totals.failures)} failed checks; "
          f"{time.monotonic() - started:.0f} s", flush=True)
    if totals.failures:
        print(f"failures (logs kept under {workdir}):", flush=True)
        for f in totals.failures:
            print(f"  {f}", flush=True)
    elif args.keep:
        print(f"kept {workdir}", flush=True)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return totals


if __name__ == "__main__":
    sys.exit(1 if main().failures else 0)
