"""Retention keeps running while appends keep a dataset's compaction queued.

With --gc-interval 1s, retention should run about once a second whatever the load. A
client appending without pause to a dataset above --compact-threshold keeps a background
compaction queued at all times; a maintenance thread that ran GC only when its
compaction queue was empty never deleted old versions under such a load (found by
tests/crash/crash_harness.py). Deletions are unthrottled here
(--gc-deletes-per-second 0): on a fast machine the appends create versions faster than
the default 500 deletions a second remove them, and one pass would then last longer
than the whole measurement.
"""
import json
import threading
import time

import pyarrow as pa
import pyarrow.flight

from conftest import stored_versions


def test_gc_runs_while_appends_keep_compaction_busy(start_quiverd, tmp_path):
    root = tmp_path / "store"
    server = start_quiverd("--listen", "127.0.0.1:0", "--gc-interval", "1s",
                           "--gc-grace", "0s", "--retain-versions", "2", "--retain-for",
                           "0s", "--compact-threshold", "2", "--gc-deletes-per-second", "0",
                           root=root)
    stop = threading.Event()
    appended = {}

    def append(name):
        client = pa.flight.connect(server.location)
        batch = pa.record_batch([pa.array([1], pa.int64())], names=["x"])
        descriptor = pa.flight.FlightDescriptor.for_command(
            json.dumps({"dataset": name, "mode": "append"}).encode())
        n = 0
        while not stop.is_set():
            writer, _ = client.do_put(descriptor, batch.schema)
            writer.write_batch(batch)
            writer.close()
            n += 1
        appended[name] = n
        client.close()

    threads = [threading.Thread(target=append, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    # Measure from the first compaction on: the appends then keep one queued.
    deadline = time.monotonic() + 60
    while " compaction: " not in server.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    before = server.log().count(" gc: deleted ")
    time.sleep(8)
    passes = server.log().count(" gc: deleted ") - before
    stop.set()
    for t in threads:
        t.join()

    assert appended["a"] > 20, appended
    # GC goes on after the appends: stop it before listing what it kept, or it deletes
    # manifests between the listing and their reading.
    server.stop()
    kept = len(stored_versions(root, "a"))
    # 8 s at one pass a second: at least 4 passes, and far fewer versions than appends.
    assert passes >= 4 and kept < appended["a"] // 2, (
        f"{passes} GC passes in 8 s; {kept} versions of 'a' kept after "
        f"{appended['a']} appends with --retain-versions 2")
