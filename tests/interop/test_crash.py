"""Crash safety: quiverd killed with SIGKILL in the middle of an upload."""
import signal
import time

import pyarrow as pa
import pyarrow.flight

from conftest import uncommitted_files


def _batch(start, rows=65536):
    return pa.record_batch([pa.array(range(start, start + rows), pa.int64())], names=["x"])


def test_sigkill_during_upload_keeps_previous_version(start_quiverd, tmp_path):
    root = tmp_path / "store"
    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = pa.flight.connect(server.location)
    descriptor = pa.flight.FlightDescriptor.for_path("precious")
    writer, _ = client.do_put(descriptor, _batch(0).schema)
    writer.write_batch(_batch(0, 1000))
    writer.close()

    # Second version: stream a good part of it, then kill the server hard.
    writer, _ = client.do_put(descriptor, _batch(0).schema)
    for i in range(40):
        writer.write_batch(_batch(i * 65536))
    deadline = time.monotonic() + 60  # a busy machine may take long
    while not uncommitted_files(root) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uncommitted_files(root), "the upload should be in progress"
    server.stop(sig=signal.SIGKILL)
    try:
        writer.close()
    except pa.ArrowException:
        pass
    client.close()

    # A new server on the same root: old version intact, leftovers cleaned.
    server2 = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = pa.flight.connect(server2.location)
    info = client.get_flight_info(descriptor)
    assert info.total_records == 1000
    table = client.do_get(info.endpoints[0].ticket).read_all()
    assert table.column("x").to_pylist() == list(range(1000))
    assert uncommitted_files(root) == []
    assert "and 1 orphaned parts" in server2.log()


def test_busy_port_is_reported_clearly(start_quiverd, tmp_path):
    import subprocess
    from conftest import QUIVERD
    first = start_quiverd("--listen", "127.0.0.1:0")
    done = subprocess.run([str(QUIVERD), "--listen", f"127.0.0.1:{first.port}",
                           "--root", str(tmp_path / "other")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{first.port}" in done.stderr
    assert "already in use" in done.stderr
