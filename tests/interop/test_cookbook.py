"""The Arrow Flight cookbook's clients against quiverd.

The first two recipes of the cookbook ("Simple Parquet storage service" and "Streaming
Parquet Storage Service") come with client code that connects to grpc://0.0.0.0:8815.
The two `test_cookbook_*` tests run that code statement for statement (the lines between
`# --- cookbook` markers are the recipe's own) against a quiverd started with its default
listen address, with assertions added between the statements. The other tests check
what a store must do beyond the recipes, on a quiverd listening on a free port.
"""
import fcntl
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import pyarrow as pa
import pyarrow.flight
import pyarrow.parquet
import pytest

from conftest import (S3Root, _read, read_stored, stored_bytes, stored_files, stored_parts,
                      stored_versions, uncommitted_files)

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

COOKBOOK_PORT = 8815


# ---------------------------------------------------------------------------------------
# helpers


@pytest.fixture
def default_quiverd(start_quiverd):
    """A quiverd started without --listen, i.e. on its built-in default address.

    Port 8815 is a fixed port: runs of this suite on the same machine take turns (a lock
    file), and a port held by some other process is waited for, then reported.
    """
    lock_path = os.path.join(tempfile.gettempdir(), "quiver-interop-default-port.lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        deadline = time.monotonic() + 60
        while True:
            try:
                server = start_quiverd()
                break
            except RuntimeError as e:
                if "in use" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            assert (server.host, server.port) == ("127.0.0.1", COOKBOOK_PORT)
            yield server
        finally:
            assert server.stop() == 0, server.log()


def temp_files(root):
    """What uploads in progress (or interrupted) leave: parts no version references."""
    return sorted(p.name for p in uncommitted_files(root))


def uploads_in_progress(root):
    """Uploads the server is writing: locally, parts no version references; on S3,
    unfinished multipart uploads (there is no object until an upload completes)."""
    if not isinstance(root, S3Root):
        return len(temp_files(root))
    # ListMultipartUploads, signed by curl as the test server's own script does (query
    # parameters sorted and encoded, as SigV4's canonical request has them).
    from urllib.parse import quote
    s3 = root.server
    out = subprocess.run(
        ["curl", "-sS", "--aws-sigv4", f"aws:amz:{s3.region}:s3", "--user",
         f"{s3.access_key}:{s3.secret_key}", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
         f"http://{s3.endpoint}/{s3.bucket}?prefix={quote(root.prefix + '/', safe='')}"
         "&uploads="],
        capture_output=True, text=True, timeout=30, check=True).stdout
    assert "<ListMultipartUploadsResult" in out, out
    return out.count("<Upload>")


def wait_for_upload_in_progress(root):
    wait_for(lambda: uploads_in_progress(root) == 1, "the upload to reach the server")


def put_table(client, name, table):
    descriptor = (pa.flight.FlightDescriptor.for_path(*name)
                  if isinstance(name, tuple) else pa.flight.FlightDescriptor.for_path(name))
    writer, _ = client.do_put(descriptor, table.schema)
    writer.write_table(table)
    writer.close()


def get_table(client, name):
    return client.do_get(pa.flight.Ticket(name.encode())).read_all()


def listed_names(client, criteria=b""):
    return sorted(b"/".join(f.descriptor.path).decode() for f in client.list_flights(criteria))


def wait_for(predicate, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def rpc_log_lines(server, method):
    return [line for line in server.log().splitlines() if f"method={method} " in line]


# A client in its own process: uploads `batches` batches of 1000 rows to `name`, says
# "sent" and waits for a line on stdin, then dies without closing the stream. "sent" means
# gRPC took the batches, not that the server has read them yet.
_HALF_UPLOAD = textwrap.dedent("""
    import os, sys
    import pyarrow as pa, pyarrow.flight
    location, name, batches = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = pa.flight.connect(location)
    batch = pa.record_batch([pa.array(range(1000), pa.int64())], names=["n"])
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path(name), batch.schema)
    for _ in range(batches):
        writer.write_batch(batch)
    print("sent", flush=True)
    sys.stdin.readline()
    os._exit(3)
""")


def start_half_upload(location, name, batches=50):
    child = subprocess.Popen([sys.executable, "-c", _HALF_UPLOAD, location, name, str(batches)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "sent"
    return child


# ---------------------------------------------------------------------------------------
# The cookbook's clients, as written, against the default server


def test_cookbook_simple_recipe(default_quiverd, capsys):
    # --- cookbook
    client = pa.flight.connect("grpc://0.0.0.0:8815")
    # --- cookbook: Upload a new dataset
    data_table = pa.table(
        [["Mario", "Luigi", "Peach"]],
        names=["Character"]
    )
    upload_descriptor = pa.flight.FlightDescriptor.for_path("uploaded.parquet")
    writer, _ = client.do_put(upload_descriptor, data_table.schema)
    writer.write_table(data_table)
    writer.close()
    # --- end

    # It reached the server we started: the dataset is stored as Parquet in its root.
    assert read_stored(default_quiverd.root, "uploaded.parquet").equals(data_table)
    size = stored_bytes(default_quiverd.root, "uploaded.parquet")

    # --- cookbook: Retrieve metadata of newly uploaded dataset
    flight = client.get_flight_info(upload_descriptor)
    descriptor = flight.descriptor
    print("Path:", descriptor.path[0].decode('utf-8'), "Rows:", flight.total_records, "Size:", flight.total_bytes)
    print("=== Schema ===")
    print(flight.schema)
    print("==============")
    # --- end
    out = capsys.readouterr().out
    assert out == (f"Path: uploaded.parquet Rows: 3 Size: {size}\n"
                   "=== Schema ===\nCharacter: string\n==============\n")
    assert flight.total_bytes == size
    assert flight.schema == data_table.schema
    assert len(flight.endpoints) == 1

    # --- cookbook: Read content of the dataset
    reader = client.do_get(flight.endpoints[0].ticket)
    read_table = reader.read_all()
    print(read_table.to_pandas().head())
    # --- end
    assert read_table.equals(data_table)
    assert capsys.readouterr().out.split() == \
        "Character 0 Mario 1 Luigi 2 Peach".split()

    # --- cookbook: Drop the newly uploaded dataset
    client.do_action(pa.flight.Action("drop_dataset", "uploaded.parquet".encode('utf-8')))
    # --- end
    # The drop is a new version (its data goes by the retention rules).
    assert stored_versions(default_quiverd.root, "uploaded.parquet")[-1]["operation"] == "drop"
    with pytest.raises(pa.ArrowKeyError, match="uploaded.parquet"):
        client.get_flight_info(upload_descriptor)

    # --- cookbook: List existing datasets.
    for flight in client.list_flights():
        descriptor = flight.descriptor
        print("Path:", descriptor.path[0].decode('utf-8'), "Rows:", flight.total_records, "Size:", flight.total_bytes)
        print("=== Schema ===")
        print(flight.schema)
        print("==============")
        print("")
    # --- end
    assert capsys.readouterr().out == ""
    assert list(client.list_flights()) == []


def test_cookbook_streaming_recipe(default_quiverd, capsys):
    # --- cookbook
    client = pa.flight.connect("grpc://0.0.0.0:8815")

    # Upload a new dataset
    NUM_BATCHES = 1024
    ROWS_PER_BATCH = 4096
    upload_descriptor = pa.flight.FlightDescriptor.for_path("streamed.parquet")
    batch = pa.record_batch([
        pa.array(range(ROWS_PER_BATCH)),
    ], names=["ints"])
    writer, _ = client.do_put(upload_descriptor, batch.schema)
    with writer:
        for _ in range(NUM_BATCHES):
            writer.write_batch(batch)
    # --- end

    (part,) = stored_parts(default_quiverd.root, "streamed.parquet")
    stored = pa.parquet.ParquetFile(pa.BufferReader(_read(default_quiverd.root, part)))
    assert stored.metadata.num_rows == NUM_BATCHES * ROWS_PER_BATCH
    # Row groups are sized by the server, not one per incoming 4096-row batch.
    assert stored.metadata.num_row_groups < NUM_BATCHES // 8

    # --- cookbook: Read content of the dataset
    flight = client.get_flight_info(upload_descriptor)
    reader = client.do_get(flight.endpoints[0].ticket)
    total_rows = 0
    for chunk in reader:
        total_rows += chunk.data.num_rows
    print("Got", total_rows, "rows total, expected", NUM_BATCHES * ROWS_PER_BATCH)
    # --- end
    assert capsys.readouterr().out == "Got 4194304 rows total, expected 4194304\n"
    assert flight.total_records == 4194304

    # Not only the count: every value comes back, in order.
    table = client.do_get(flight.endpoints[0].ticket).read_all()
    assert table.schema == batch.schema
    expected = pa.chunked_array([batch.column(0)] * NUM_BATCHES)
    assert table.column("ints").equals(expected)


# ---------------------------------------------------------------------------------------
# Beyond the recipes, on a free port


def test_unknown_dataset_is_not_found(quiverd):
    client = pa.flight.connect(quiverd.location)
    with pytest.raises(pa.ArrowKeyError, match="'nothing.parquet' not found"):
        client.get_flight_info(pa.flight.FlightDescriptor.for_path("nothing.parquet"))
    with pytest.raises(pa.ArrowKeyError, match="nothing.parquet"):
        client.get_schema(pa.flight.FlightDescriptor.for_path("nothing.parquet"))
    with pytest.raises(pa.ArrowKeyError, match="nothing.parquet"):
        client.do_get(pa.flight.Ticket(b"nothing.parquet")).read_all()
    with pytest.raises(pa.ArrowKeyError, match="nothing.parquet"):
        list(client.do_action(pa.flight.Action("drop_dataset", b"nothing.parquet")))
    assert quiverd.proc.poll() is None


@pytest.mark.parametrize("segments", [("../x",), ("..", "x"), ("a", "..", "..", "b"),
                                      ("/etc/passwd",), (".",), ("",), ("a\x00b",),
                                      ("x" * 100000,)])
def test_hostile_names_are_invalid_argument(quiverd, tmp_path, segments):
    client = pa.flight.connect(quiverd.location)
    table = pa.table({"n": [1, 2, 3]})
    descriptor = pa.flight.FlightDescriptor.for_path(*segments)
    joined = "/".join(segments).encode()

    with pytest.raises(pa.ArrowInvalid):
        put_table(client, segments, table)
    with pytest.raises(pa.ArrowInvalid):
        client.get_flight_info(descriptor)
    with pytest.raises(pa.ArrowInvalid):
        client.do_get(pa.flight.Ticket(joined)).read_all()
    with pytest.raises(pa.ArrowInvalid):
        list(client.do_action(pa.flight.Action("drop_dataset", joined)))

    # Nothing was written anywhere, inside the root or next to it.
    assert stored_files(quiverd.root) == []
    if not isinstance(quiverd.root, S3Root):
        assert sorted(p.name for p in tmp_path.iterdir()) == ["datasets0", quiverd.log_path.name]
    assert listed_names(client) == []
    assert quiverd.proc.poll() is None


def test_errors_do_not_reveal_server_paths(quiverd):
    client = pa.flight.connect(quiverd.location)
    for call in (lambda: client.get_flight_info(pa.flight.FlightDescriptor.for_path("missing")),
                 lambda: client.do_get(pa.flight.Ticket(b"../../etc/passwd")).read_all(),
                 lambda: put_table(client, "..", pa.table({"n": [1]}))):
        with pytest.raises(pa.ArrowException) as err:
            call()
        assert str(quiverd.root) not in str(err.value)


def test_cmd_descriptor_is_invalid_argument(quiverd):
    client = pa.flight.connect(quiverd.location)
    # CMD descriptors hold the JSON commands of docs/protocol.md; anything else is
    # refused with a pointer to them.
    with pytest.raises(pa.ArrowInvalid, match="JSON object"):
        client.get_flight_info(pa.flight.FlightDescriptor.for_command(b"SELECT 1"))


def test_unknown_action_is_unimplemented_and_named(quiverd):
    client = pa.flight.connect(quiverd.location)
    with pytest.raises(pa.ArrowNotImplementedError, match="frobnicate"):
        list(client.do_action(pa.flight.Action("frobnicate", b"")))
    assert "drop_dataset" in [a.type for a in client.list_actions()]


def test_ticket_with_just_the_name_and_minted_ticket(quiverd):
    client = pa.flight.connect(quiverd.location)
    table = pa.table({"n": pa.array([1, None, 3], pa.int32()), "s": ["a", "b", None]})
    put_table(client, ("sales", "2024"), table)

    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("sales", "2024"))
    assert info.descriptor.path == [b"sales", b"2024"]
    assert info.total_records == 3
    assert info.total_bytes == stored_bytes(quiverd.root, "sales/2024")
    (endpoint,) = info.endpoints
    assert list(endpoint.locations) == []  # "this same service" without --advertise
    assert client.do_get(endpoint.ticket).read_all().equals(table)
    # The cookbook's tickets: the bare dataset name ('/' between segments).
    assert get_table(client, "sales/2024").equals(table)
    assert client.get_schema(info.descriptor).schema == table.schema


def test_advertised_location_is_in_endpoints(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--advertise", "grpc://data.example:9999")
    client = pa.flight.connect(server.location)
    put_table(client, "a", pa.table({"n": [1]}))
    (endpoint,) = client.get_flight_info(pa.flight.FlightDescriptor.for_path("a")).endpoints
    assert [loc.uri for loc in endpoint.locations] == [b"grpc://data.example:9999"]


def test_overwrite_replaces_the_dataset(quiverd):
    client = pa.flight.connect(quiverd.location)
    first = pa.table({"n": list(range(10))})
    second = pa.table({"name": ["x", "y"], "score": [1.5, None]})
    put_table(client, "data", first)
    put_table(client, "data", second)

    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("data"))
    assert info.total_records == 2
    assert info.schema == second.schema
    assert info.total_bytes == stored_bytes(quiverd.root, "data")
    assert get_table(client, "data").equals(second)
    (listed,) = list(client.list_flights())
    assert (listed.total_records, listed.schema) == (2, second.schema)
    assert temp_files(quiverd.root) == []


def test_list_flights_filters_by_name_prefix(quiverd):
    client = pa.flight.connect(quiverd.location)
    table = pa.table({"n": [1]})
    for name in [("sales", "2023"), ("sales", "2024"), ("salesforce",), ("stock",), ("prefix",),
                 ("prefixed", "x"), ("pre",)]:
        put_table(client, name, table)

    assert listed_names(client) == ["pre", "prefix", "prefixed/x", "sales/2023", "sales/2024",
                                    "salesforce", "stock"]
    assert listed_names(client, b"prefix") == ["prefix", "prefixed/x"]
    assert listed_names(client, b"sales/") == ["sales/2023", "sales/2024"]
    assert listed_names(client, b"sales") == ["sales/2023", "sales/2024", "salesforce"]
    assert listed_names(client, b"nothing") == []
    for flight in client.list_flights(b"prefix"):
        assert flight.total_records == 1 and flight.schema == table.schema
        assert flight.total_bytes > 0

    list(client.do_action(pa.flight.Action("drop_dataset", b"prefix")))
    assert listed_names(client, b"prefix") == ["prefixed/x"]


def test_datasets_persist_across_restart(start_quiverd, new_root):
    root = new_root()
    table = pa.table({"i": pa.array(range(100_000), pa.int64()),
                      "d": pa.array([i / 3 if i % 7 else None for i in range(100_000)]),
                      "s": pa.array([f"row {i}" for i in range(100_000)])})
    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = pa.flight.connect(server.location)
    put_table(client, "kept", table)
    put_table(client, ("nested", "dropped"), table.slice(0, 10))
    list(client.do_action(pa.flight.Action("drop_dataset", b"nested/dropped")))
    before = client.get_flight_info(pa.flight.FlightDescriptor.for_path("kept"))
    assert server.stop() == 0

    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = pa.flight.connect(server.location)
    assert listed_names(client) == ["kept"]
    after = client.get_flight_info(pa.flight.FlightDescriptor.for_path("kept"))
    assert (after.total_records, after.total_bytes, after.schema) == \
        (before.total_records, before.total_bytes, before.schema)
    assert get_table(client, "kept").equals(table)


def test_sigterm_during_upload_exits_0_and_leaves_no_temp_files(start_quiverd, new_root):
    root = new_root()
    server = start_quiverd("--listen", "127.0.0.1:0", "--shutdown-grace", "1", root=root)
    client = pa.flight.connect(server.location)
    old = pa.table({"n": pa.array([7, 8, 9], pa.int64())})
    put_table(client, "busy", old)

    child = start_half_upload(server.location, "busy")
    try:
        # The client's writes return once gRPC has taken them: wait for the server.
        wait_for_upload_in_progress(root)
        assert server.stop(signal.SIGTERM) == 0, server.log()
    finally:
        child.kill()
        child.wait()
    assert temp_files(root) == [] and uploads_in_progress(root) == 0
    assert "quiverd stopped" in server.log()

    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    assert get_table(pa.flight.connect(server.location), "busy").equals(old)


def test_killed_upload_leaves_previous_version(quiverd):
    client = pa.flight.connect(quiverd.location)
    old = pa.table({"n": pa.array([1, 2, 3], pa.int64())})
    put_table(client, "victim", old)

    child = start_half_upload(quiverd.location, "victim", batches=200)
    # While the upload streams, readers see the previous version only.
    wait_for_upload_in_progress(quiverd.root)
    assert get_table(client, "victim").equals(old)
    child.stdin.write("die\n")
    child.stdin.flush()
    assert child.wait() == 3

    # The server ends the call (not with OK) and throws the partial upload away.
    wait_for(lambda: rpc_log_lines(quiverd, "DoPut")[1:], "the server to end the killed DoPut")
    assert "status=OK" not in rpc_log_lines(quiverd, "DoPut")[1]
    wait_for(lambda: uploads_in_progress(quiverd.root) == 0, "the partial upload to be removed")
    assert temp_files(quiverd.root) == []
    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("victim"))
    assert info.total_records == 3
    assert get_table(client, "victim").equals(old)
    assert listed_names(client) == ["victim"]
    assert quiverd.proc.poll() is None


def test_reader_keeps_its_version_through_overwrite_and_drop(quiverd):
    client = pa.flight.connect(quiverd.location)
    original = pa.table({"n": pa.array(range(4_000_000), pa.int64())})
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("moving"), original.schema)
    for batch in original.to_batches(max_chunksize=65536):
        writer.write_batch(batch)
    writer.close()

    reader = client.do_get(pa.flight.Ticket(b"moving"))
    first = reader.read_chunk().data
    replacement = pa.table({"n": pa.array([-1, -2], pa.int64())})
    put_table(client, "moving", replacement)
    assert get_table(client, "moving").equals(replacement)
    list(client.do_action(pa.flight.Action("drop_dataset", b"moving")))
    with pytest.raises(pa.ArrowKeyError):
        get_table(client, "moving")

    rest = reader.read_all()
    got = pa.Table.from_batches([first]).column("n").combine_chunks()
    got = pa.chunked_array([got, *rest.column("n").chunks])
    assert got.equals(original.column("n"))


def test_concurrent_uploads_to_one_name_one_wins_whole(quiverd):
    import threading
    tables = [pa.table({"writer": pa.array([i] * 300_000, pa.int64()),
                        "seq": pa.array(range(300_000), pa.int64())}) for i in range(4)]
    errors = []

    def upload(table):
        try:
            client = pa.flight.connect(quiverd.location)
            writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("contended"),
                                      table.schema)
            for batch in table.to_batches(max_chunksize=10_000):
                writer.write_batch(batch)
            writer.close()
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=upload, args=(t,)) for t in tables]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = get_table(pa.flight.connect(quiverd.location), "contended")
    winner = result.column("writer")[0].as_py()
    assert result.equals(tables[winner])
    assert temp_files(quiverd.root) == []


def test_schema_only_upload_is_an_empty_dataset(quiverd):
    client = pa.flight.connect(quiverd.location)
    schema = pa.schema([("a", pa.int64()), ("b", pa.string())])
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("empty"), schema)
    writer.close()
    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("empty"))
    assert (info.total_records, info.schema) == (0, schema)
    table = get_table(client, "empty")
    assert table.num_rows == 0 and table.schema == schema


def test_unicode_names_and_bad_bytes(quiverd):
    client = pa.flight.connect(quiverd.location)
    table = pa.table({"n": [1]})
    put_table(client, ("données", "été 2024"), table)
    assert listed_names(client) == ["données/été 2024"]
    assert get_table(client, "données/été 2024").equals(table)
    assert any(p.startswith("données/été 2024/.manifests/") for p in stored_files(quiverd.root))
    for bad in (b"\xff\xfe", b"a\nb", b"a\x7fb", b"a\\b", b"", b"/a", b"a/"):
        with pytest.raises(pa.ArrowInvalid):
            client.do_get(pa.flight.Ticket(bad)).read_all()
        with pytest.raises(pa.ArrowInvalid):
            list(client.do_action(pa.flight.Action("drop_dataset", bad)))


def test_a_name_cannot_be_both_dataset_and_folder(quiverd):
    client = pa.flight.connect(quiverd.location)
    table = pa.table({"n": [1]})
    put_table(client, ("sales", "2024"), table)
    for name in [("sales",), ("sales", "2024", "q1")]:
        with pytest.raises(pa.ArrowException, match="ALREADY_EXISTS"):
            put_table(client, name, table)
    assert listed_names(client) == ["sales/2024"]
    assert temp_files(quiverd.root) == []
