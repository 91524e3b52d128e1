"""The decoded-part cache (--cache-dir, --cache-size): a dataset read again comes from
the cache, equal to the first read, with no Parquet decoding and, on an S3 root, no
object-store read; entries survive a restart; bad flags stop start-up with one line."""
import os
import pathlib
import subprocess
import time

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from test_metrics import metrics_port, scrape

REPO = pathlib.Path(__file__).resolve().parents[2]
QUIVERD = pathlib.Path(os.environ.get("QUIVER_BIN_DIR", REPO / "build" / "bin")) / "quiverd"

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends


def table(rows, seed):
    return pa.table({
        "id": pa.array(range(seed, seed + rows), pa.int64()),
        "city": pa.array([f"city-{(i * 7 + seed) % 13}" for i in range(rows)]),
        "amount": pa.array([None if i % 11 == 0 else i * 0.5 for i in range(rows)]),
        "tag": pa.array([f"t{i % 5}" for i in range(rows)]).dictionary_encode(),
    })


def put(client, name, data):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name), data.schema)
    writer.write_table(data, max_chunksize=10_000)
    writer.close()


def get(client, name):
    info = client.get_flight_info(flight.FlightDescriptor.for_path(name))
    return client.do_get(info.endpoints[0].ticket).read_all()


def wait_for(port, name, at_least, timeout=30):
    deadline = time.monotonic() + timeout
    while (value := scrape(port)[name]) < at_least:
        assert time.monotonic() < deadline, f"{name} stayed at {value}"
        time.sleep(0.05)


@pytest.fixture
def cached(start_quiverd, tmp_path):
    def start(cache_dir=tmp_path / "cache", root=None, *flags):
        return start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                             "--cache-dir", str(cache_dir), *flags, root=root)
    return start


def test_a_second_read_comes_from_the_cache_and_is_equal(cached, storage):
    server = cached()
    port = metrics_port(server)
    client = flight.connect(server.location)
    data = table(50_000, 0)
    put(client, "sales", data)
    assert get(client, "sales").equals(data)
    wait_for(port, "quiver_part_cache_fills_total", 1)
    before = scrape(port)
    again = get(client, "sales")
    after = scrape(port)
    assert again.equals(data)
    assert after["quiver_part_cache_hits_total"] == before["quiver_part_cache_hits_total"] + 1
    assert after["quiver_part_cache_entries"] == 1
    assert after["quiver_part_cache_bytes"] > 0
    # Nothing was decoded from Parquet, nor read from the object store.
    assert after["quiver_row_groups_read_total"] == before["quiver_row_groups_read_total"]
    if storage == "s3":
        read = "quiver_object_store_requests_total{operation=read}"
        opened = "quiver_object_store_requests_total{operation=open_read}"
        assert before[read] > 0
        assert after[read] == before[read]
        assert after[opened] == before[opened]


def test_projection_and_limit_read_from_the_cache(cached):
    server = cached()
    port = metrics_port(server)
    client = flight.connect(server.location)
    data = table(20_000, 5)
    put(client, "sales", data)
    get(client, "sales")
    wait_for(port, "quiver_part_cache_fills_total", 1)
    hits = scrape(port)["quiver_part_cache_hits_total"]
    command = flight.FlightDescriptor.for_command(
        b'{"dataset": "sales", "columns": ["amount", "id"], "limit": 1234}')
    info = client.get_flight_info(command)
    got = client.do_get(info.endpoints[0].ticket).read_all()
    assert got.equals(data.select(["amount", "id"]).slice(0, 1234))
    assert scrape(port)["quiver_part_cache_hits_total"] == hits + 1


def test_an_overwrite_is_read_as_new_data(cached):
    server = cached()
    port = metrics_port(server)
    client = flight.connect(server.location)
    put(client, "sales", table(1000, 0))
    get(client, "sales")
    wait_for(port, "quiver_part_cache_fills_total", 1)
    newer = table(700, 99)
    put(client, "sales", newer)
    assert get(client, "sales").equals(newer)
    assert get(client, "sales").equals(newer)


def test_entries_survive_a_restart(cached, tmp_path, new_root):
    root = new_root("kept")
    server = cached(tmp_path / "cache", root)
    client = flight.connect(server.location)
    data = table(30_000, 1)
    put(client, "sales", data)
    get(client, "sales")
    wait_for(metrics_port(server), "quiver_part_cache_fills_total", 1)
    client.close()
    server.stop()

    server = cached(tmp_path / "cache", root)
    port = metrics_port(server)
    assert scrape(port)["quiver_part_cache_entries"] == 1
    client = flight.connect(server.location)
    assert get(client, "sales").equals(data)
    assert scrape(port)["quiver_part_cache_hits_total"] == 1


@pytest.mark.parametrize("flags, expected", [
    (["--cache-dir", "{tmp}/c", "--cache-size", "10GB"], "is not a size"),
    (["--cache-dir", "{tmp}/c", "--cache-size", "1KiB"], "at least 1MiB"),
    (["--cache-size", "1GiB"], "--cache-dir"),
    (["--cache-dir", "{root}/cache"], "inside the store's root"),
    (["--cache-dir", "{tmp}/file"], "cannot open the part cache"),
])
def test_bad_cache_flags_stop_start_up_with_one_line(tmp_path, flags, expected):
    (tmp_path / "file").write_text("not a directory")
    root = tmp_path / "root"
    args = [f.format(tmp=tmp_path, root=root) for f in flags]
    proc = subprocess.run([str(QUIVERD), "--listen", "127.0.0.1:0", "--root", str(root),
                           *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    lines = [line for line in (proc.stdout + proc.stderr).strip().splitlines()
             if not line.startswith("Run with --help")]  # the flag parser's hint
    assert len(lines) == 1 and expected in lines[0], lines
