"""A real full disk: quiverd's root on a small tmpfs mounted by the test (skipped, saying
why, where mounting is not allowed). An upload that fills it fails cleanly with the
storage-full error, the space is reclaimed, and later uploads work."""
import os
import subprocess

import numpy as np
import pyarrow as pa
import pyarrow.flight as flight
import pytest

from conftest import uncommitted_files

MIB = 1 << 20


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0700",
                             "quiver-test", str(mount_point)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount permission): "
                    f"{result.stderr.strip() or result.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def random_table(nbytes, seed):
    """Incompressible: what is stored is as large as what is sent."""
    rng = np.random.default_rng(seed)
    return pa.table({"x": rng.integers(0, 2**63 - 1, nbytes // 8, dtype=np.int64)})


def put(client, name, table):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name), table.schema)
    writer.write_table(table, max_chunksize=64 * 1024)
    writer.close()


def test_an_upload_that_fills_the_disk_fails_cleanly(start_quiverd, small_disk):
    root = small_disk / "root"
    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = flight.connect(server.location)
    first = random_table(2 * MIB, seed=1)
    put(client, "first", first)
    free_before = free_bytes(small_disk)

    with pytest.raises(flight.FlightUnavailableError, match="storage full") as error:
        put(client, "too-big", random_table(64 * MIB, seed=2))
    assert str(small_disk) not in str(error.value)  # no server path in the message

    # The failed upload's part is deleted: the space comes back, nothing is left over.
    assert free_bytes(small_disk) >= free_before - MIB
    assert uncommitted_files(root) == []
    assert [f.descriptor.path for f in client.list_flights()] == [[b"first"]]
    assert client.do_get(flight.Ticket(b"first")).read_all() == first

    # Later uploads work, and an overwrite of the existing dataset too.
    second = random_table(4 * MIB, seed=3)
    put(client, "second", second)
    assert client.do_get(flight.Ticket(b"second")).read_all() == second
    put(client, "first", second)
    assert client.do_get(flight.Ticket(b"first")).read_all() == second
    assert "storage full" in server.log()
    assert server.proc.poll() is None
