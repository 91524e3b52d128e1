"""The S3 test server itself: pyarrow's S3 file system against it (what quiver's
object storage and the S3 benchmark rely on), and its lifetime handling."""
import os
import subprocess
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from s3_server import SCRIPT as script


def test_pyarrow_parquet_roundtrip_list_delete(s3_server):
    fs = s3_server.filesystem()
    table = pa.table({"id": pa.array(range(100_000), pa.int64()),
                      "name": pa.array([f"row {i}" for i in range(100_000)])})
    path = f"{s3_server.bucket}/interop/data.parquet"
    pq.write_table(table, path, filesystem=fs, row_group_size=10_000)

    assert pq.read_table(path, filesystem=fs).equals(table)
    # Ranged reads: one row group and one column, not the whole object.
    reader = pq.ParquetFile(path, filesystem=fs)
    assert reader.metadata.num_row_groups == 10
    part = reader.read_row_group(3, columns=["id"])
    assert part.column("id").to_pylist() == list(range(30_000, 40_000))

    listed = fs.get_file_info(pa.fs.FileSelector(f"{s3_server.bucket}/interop"))
    assert [info.path for info in listed] == [path]
    fs.delete_file(path)
    assert fs.get_file_info(path).type == pa.fs.FileType.NotFound


def test_wrong_credentials_are_refused(s3_server):
    from pyarrow import fs
    wrong = fs.S3FileSystem(access_key=s3_server.access_key, secret_key="wrong",
                            endpoint_override=s3_server.endpoint, scheme="http",
                            region=s3_server.region)
    with pytest.raises(OSError):
        wrong.get_file_info(f"{s3_server.bucket}/anything")


def _alive(pid):
    """Running (a zombie awaiting its reaper counts as stopped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_server_stops_when_its_parent_dies(tmp_path):
    parent = subprocess.Popen(["sleep", "600"])
    try:
        # Started on behalf of `parent` (as a test process passes its own pid).
        out = subprocess.run(["bash", str(script), "start", "--parent", str(parent.pid),
                              str(tmp_path / "s3"), "bkt"],
                             capture_output=True, text=True, timeout=1800)
        if out.returncode == 3:
            pytest.skip(out.stderr.strip())
        assert out.returncode == 0, out.stderr
        pid = int(dict(l.split("=", 1) for l in out.stdout.splitlines())["S3_PID"])
        assert _alive(pid)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not _alive(pid):
            break
        time.sleep(0.2)
    else:
        os.kill(pid, 9)
        pytest.fail("the S3 server outlived its parent")
