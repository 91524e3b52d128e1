"""Stream and upload limits (--max-upload-bytes, --max-streams, --max-streams-per-user,
--stream-idle-timeout): refusals name the limit and its value, are counted in
quiver_limit_refusals_total, leave datasets unchanged, and idle streams are cut without
pinning the server's threads."""
import time

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from security_util import PASSWORD, make_users
from test_metrics import metrics_port, scrape

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends


def put(client, name, table, append=False, options=None):
    if append:
        descriptor = flight.FlightDescriptor.for_command(
            f'{{"dataset": "{name}", "mode": "append"}}')
    else:
        descriptor = flight.FlightDescriptor.for_path(name)
    writer, _ = client.do_put(descriptor, table.schema, options=options)
    writer.write_table(table)
    writer.close()


def rows(n, start=0):
    return pa.table({"x": pa.array(range(start, start + n), pa.int64())})


def refusals(server, limit):
    return scrape(metrics_port(server))[f'quiver_limit_refusals_total{{limit={limit}}}']


def open_put(client, name, options=None):
    """A DoPut that sent its schema and then holds the stream open."""
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name),
                              pa.schema([("x", pa.int64())]), options=options)
    writer.write_table(rows(10))
    return writer


def wait_for(predicate, timeout=60):  # a bound for a busy machine, not an ordering
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def in_flight(server, method):
    return scrape(metrics_port(server))[f"quiver_rpc_in_flight{{method={method}}}"]


def test_upload_larger_than_the_limit_is_refused(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-upload-bytes", "100000",
                           "--metrics-listen", "127.0.0.1:0")
    client = flight.connect(server.location)
    put(client, "small", rows(1000))  # 8,000 bytes
    with pytest.raises(pa.ArrowInvalid, match=r"--max-upload-bytes=100000"):
        put(client, "small", rows(50_000))  # 400,000 bytes
    assert client.do_get(flight.Ticket(b"small")).read_all() == rows(1000)
    with pytest.raises(pa.ArrowInvalid, match=r"upload of 'big' refused"):
        put(client, "big", rows(50_000))
    names = [f.descriptor.path[0].decode() for f in client.list_flights()]
    assert names == ["small"]
    assert refusals(server, "max-upload-bytes") == 2
    assert refusals(server, "max-streams") == 0


def test_append_may_not_grow_a_dataset_past_the_limit(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-upload-bytes", "100000",
                           "--metrics-listen", "127.0.0.1:0")
    client = flight.connect(server.location)
    put(client, "log", rows(8000))  # 64,000 bytes received, stored smaller (zstd)
    stored = client.get_flight_info(flight.FlightDescriptor.for_path("log")).total_bytes
    appended = 0
    with pytest.raises(pa.ArrowInvalid, match=r"append to 'log' refused: the dataset "
                       r"would exceed the limit --max-upload-bytes=100000"):
        for i in range(1000):
            put(client, "log", rows(8000, start=8000 * (i + 1)), append=True)
            appended += 1
    info = client.get_flight_info(flight.FlightDescriptor.for_path("log"))
    assert info.total_records == 8000 * (appended + 1)  # the refused append left nothing
    assert stored <= info.total_bytes <= 100000
    assert refusals(server, "max-upload-bytes") == 1


def test_streams_over_the_limit_are_refused_until_one_ends(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-streams", "2",
                           "--max-streams-per-user", "0", "--metrics-listen",
                           "127.0.0.1:0")
    client = flight.connect(server.location)
    put(client, "d", rows(10))
    held = [open_put(flight.connect(server.location), f"held{i}") for i in range(2)]
    wait_for(lambda: in_flight(server, "DoPut") == 2)
    with pytest.raises(flight.FlightUnavailableError,
                       match=r"too many streams: the server's limit --max-streams=2"):
        client.do_get(flight.Ticket(b"d")).read_all()
    with pytest.raises(flight.FlightUnavailableError, match=r"--max-streams=2"):
        put(client, "other", rows(10))
    # Calls that are not streams are served.
    assert len(list(client.list_flights())) == 1
    held[0].close()
    assert client.do_get(flight.Ticket(b"d")).read_all() == rows(10)
    held[1].close()
    assert refusals(server, "max-streams") == 2


def test_streams_per_client_address_without_authentication(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-streams-per-user", "1",
                           "--metrics-listen", "127.0.0.1:0")
    client = flight.connect(server.location)
    writer = open_put(flight.connect(server.location), "held")
    wait_for(lambda: in_flight(server, "DoPut") == 1)
    with pytest.raises(flight.FlightUnavailableError,
                       match=r"too many streams for client ipv4:127\.0\.0\.1: the limit "
                             r"--max-streams-per-user=1"):
        put(client, "other", rows(10))
    writer.close()
    put(client, "other", rows(10))
    assert refusals(server, "max-streams-per-user") == 1


def test_streams_per_user(start_quiverd, tmp_path):
    users = make_users(tmp_path / "users.json", alice="writer", bob="writer")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users),
                           "--max-streams-per-user", "1", "--metrics-listen",
                           "127.0.0.1:0")

    def login(user):
        client = flight.connect(server.location)
        token = client.authenticate_basic_token(user.encode(), PASSWORD.encode())
        return client, flight.FlightCallOptions(headers=[token])

    alice, alice_options = login("alice")
    alice2, alice2_options = login("alice")
    bob, bob_options = login("bob")
    writer = open_put(alice, "a", alice_options)
    wait_for(lambda: in_flight(server, "DoPut") == 1)
    with pytest.raises(flight.FlightUnavailableError,
                       match=r"too many streams for user 'alice': the limit "
                             r"--max-streams-per-user=1"):
        put(alice2, "a2", rows(10), options=alice2_options)
    put(bob, "b", rows(10), options=bob_options)  # another user is not affected
    writer.close()
    put(alice2, "a2", rows(10), options=alice2_options)


def test_a_writer_that_stops_sending_is_cut(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--stream-idle-timeout", "1s",
                           "--metrics-listen", "127.0.0.1:0")
    writer = open_put(flight.connect(server.location), "stalled")
    wait_for(lambda: in_flight(server, "DoPut") == 1)
    # The server cuts the connection: the call ends and its thread is released.
    wait_for(lambda: in_flight(server, "DoPut") == 0)
    with pytest.raises(pa.ArrowException):
        writer.write_table(rows(10))
        writer.close()
    assert "stream-idle-timeout=1000ms: connection cut" in server.log()
    assert refusals(server, "stream-idle-timeout") == 1
    client = flight.connect(server.location)
    assert [f.descriptor.path for f in client.list_flights()] == []  # nothing committed
    put(client, "after", rows(5))
    assert client.do_get(flight.Ticket(b"after")).read_all() == rows(5)


def test_a_reader_that_stops_reading_is_cut(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--stream-idle-timeout", "1s",
                           "--metrics-listen", "127.0.0.1:0")
    client = flight.connect(server.location)
    # Far more than gRPC's flow-control windows hold: the server blocks on the reader.
    big = pa.table({"x": pa.array(range(8_000_000), pa.int64())})
    put(client, "big", big)
    reader = flight.connect(server.location).do_get(flight.Ticket(b"big"))
    reader.read_chunk()
    wait_for(lambda: in_flight(server, "DoGet") == 0)
    with pytest.raises(pa.ArrowException):
        while True:
            reader.read_chunk()
    assert "DoGet of 'big'" in server.log()
    assert refusals(server, "stream-idle-timeout") == 1
    assert client.do_get(flight.Ticket(b"big")).read_all().num_rows == 8_000_000


def test_a_client_that_vanishes_mid_stream_releases_its_stream(start_quiverd):
    """A raw TCP client that opens an HTTP/2 connection and goes silent holds no
    stream; a Flight client killed mid-upload frees its stream at once."""
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-streams", "1",
                           "--metrics-listen", "127.0.0.1:0")
    import subprocess
    import sys
    code = (
        "import pyarrow as pa, pyarrow.flight as fl, sys, time\n"
        f"c = fl.connect('{server.location}')\n"
        "w, _ = c.do_put(fl.FlightDescriptor.for_path('v'), pa.schema([('x', pa.int64())]))\n"
        "w.write_table(pa.table({'x': [1]}))\n"
        "print('sent', flush=True)\n"
        "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"sent"
        wait_for(lambda: in_flight(server, "DoPut") == 1)
        proc.kill()
        proc.wait()
        wait_for(lambda: in_flight(server, "DoPut") == 0)
    finally:
        proc.kill()
        proc.wait()
    client = flight.connect(server.location)
    put(client, "w", rows(3))
    assert [f.descriptor.path[0] for f in client.list_flights()] == [b"w"]


@pytest.mark.local_storage("flag checks: storage plays no part")
def test_limit_flags_are_checked(start_quiverd):
    with pytest.raises(RuntimeError, match="--stream-idle-timeout"):
        start_quiverd("--listen", "127.0.0.1:0", "--stream-idle-timeout", "soon")
    with pytest.raises(RuntimeError, match="--max-streams"):
        start_quiverd("--listen", "127.0.0.1:0", "--max-streams", "-1")
