"""Several quiverd nodes on one S3 bucket (the real test S3 server): what one node
writes the others serve, tokens travel between them, and a node or the store failing
leaves nothing half-visible. docs/deploy.md describes the deployment these tests model."""
import os
import secrets
import threading
import time

import pyarrow as pa
import pyarrow.flight
import pytest

from conftest import S3Root, stored_files, uncommitted_files
from security_util import PASSWORD, make_users
from test_cookbook import (get_table, listed_names, put_table, start_half_upload,
                           uploads_in_progress, wait_for)


def start_nodes(start_quiverd, s3_server, count=2, *flags, prefix="shared"):
    root = S3Root(s3_server, prefix)
    return [start_quiverd("--listen", "127.0.0.1:0", "--catalog-refresh", "500ms", *flags,
                          root=root) for _ in range(count)]


def random_table(rows):
    import numpy as np
    rng = np.random.default_rng(7)
    return pa.table({"n": pa.array(rng.integers(0, 1 << 62, rows), pa.int64()),
                     "x": pa.array(rng.random(rows))})


def append(client, name, table):
    import json
    descriptor = pa.flight.FlightDescriptor.for_command(
        json.dumps({"dataset": name, "mode": "append"}))
    writer, _ = client.do_put(descriptor, table.schema)
    writer.write_table(table)
    writer.close()


def test_put_via_a_get_and_list_via_b(start_quiverd, s3_server):
    a, b = start_nodes(start_quiverd, s3_server)
    ca, cb = pa.flight.connect(a.location), pa.flight.connect(b.location)
    table = pa.table({"n": pa.array(range(10_000), pa.int64())})
    put_table(ca, ("sales", "2024"), table)
    # Read-after-write by name: B reads the head from the store at once.
    written = time.monotonic()
    info = cb.get_flight_info(pa.flight.FlightDescriptor.for_path("sales", "2024"))
    assert info.total_records == 10_000
    assert cb.do_get(info.endpoints[0].ticket).read_all().equals(table)
    assert get_table(cb, "sales/2024").equals(table)
    # Listing comes from B's catalog, refreshed every 500 ms.
    wait_for(lambda: listed_names(cb) == ["sales/2024"], "B to list the dataset", timeout=10)
    assert time.monotonic() - written < 5

    # An overwrite on A is what B serves next; a drop on A is NOT_FOUND on B at once.
    smaller = table.slice(0, 10)
    put_table(ca, ("sales", "2024"), smaller)
    assert get_table(cb, "sales/2024").equals(smaller)
    list(ca.do_action(pa.flight.Action("drop_dataset", b"sales/2024")))
    with pytest.raises(pa.ArrowKeyError):
        get_table(cb, "sales/2024")
    wait_for(lambda: listed_names(cb) == [], "B to stop listing the dropped dataset")


def test_concurrent_appends_via_a_and_b_all_land(start_quiverd, s3_server):
    a, b = start_nodes(start_quiverd, s3_server, 2, "--compact-threshold", "0")
    put_table(pa.flight.connect(a.location), "events", pa.table({"n": pa.array([0], pa.int64())}))
    errors = []

    def appender(node, start):
        try:
            client = pa.flight.connect(node.location)
            for i in range(5):
                append(client, "events",
                       pa.table({"n": pa.array(range(start + i * 100, start + i * 100 + 100),
                                               pa.int64())}))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=appender, args=(node, 1 + k * 1000))
               for k, node in enumerate([a, b, a, b])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for node in (a, b):
        got = get_table(pa.flight.connect(node.location), "events")
        assert got.num_rows == 1 + 4 * 5 * 100
        assert sorted(got.column("n").to_pylist()) == \
            [0] + sorted(k * 1000 + 1 + j for k in range(4) for j in range(500))


def test_overwrite_on_a_while_b_streams_the_old_version(start_quiverd, s3_server):
    # A collects garbage every second, keeping one version, with a grace period that
    # protects readers on other nodes.
    a, b = start_nodes(start_quiverd, s3_server, 2, "--retain-versions", "1",
                       "--retain-for", "0s", "--gc-interval", "1s", "--gc-grace", "60s")
    ca, cb = pa.flight.connect(a.location), pa.flight.connect(b.location)
    original = random_table(3_000_000)
    writer, _ = ca.do_put(pa.flight.FlightDescriptor.for_path("moving"), original.schema)
    for batch in original.to_batches(max_chunksize=65536):
        writer.write_batch(batch)
    writer.close()

    info = cb.get_flight_info(pa.flight.FlightDescriptor.for_path("moving"))
    reader = cb.do_get(info.endpoints[0].ticket)
    first = reader.read_chunk().data
    replacement = pa.table({"n": pa.array([-1], pa.int64()), "x": pa.array([0.5])})
    put_table(ca, "moving", replacement)
    put_table(ca, "moving", replacement)
    time.sleep(2.5)  # A's GC runs at least twice meanwhile
    assert get_table(cb, "moving").equals(replacement)
    rest = reader.read_all()
    got = pa.concat_tables([pa.Table.from_batches([first]), rest])
    assert got.equals(original)
    # The pinned ticket still reads the old version (within the grace period).
    assert cb.do_get(info.endpoints[0].ticket).read_all().equals(original)


def test_token_from_a_is_accepted_by_b(start_quiverd, s3_server, tmp_path):
    users = make_users(tmp_path / "users.json", wanda="writer")
    keys = tmp_path / "token-keys"
    keys.write_text(secrets.token_hex(32) + "\n")
    os.chmod(keys, 0o600)
    a, b = start_nodes(start_quiverd, s3_server, 2, "--users", str(users),
                       "--token-key-file", str(keys))
    ca, cb = pa.flight.connect(a.location), pa.flight.connect(b.location)
    token = ca.authenticate_basic_token(b"wanda", PASSWORD.encode())
    options = pa.flight.FlightCallOptions(headers=[token])
    table = pa.table({"n": [1, 2, 3]})
    writer, _ = ca.do_put(pa.flight.FlightDescriptor.for_path("t"), table.schema,
                          options=options)
    writer.write_table(table)
    writer.close()
    assert cb.do_get(pa.flight.Ticket(b"t"), options=options).read_all().equals(table)
    with pytest.raises(pa.flight.FlightUnauthenticatedError):
        cb.do_get(pa.flight.Ticket(b"t")).read_all()


def test_node_killed_mid_upload_leaves_nothing_visible(start_quiverd, s3_server):
    a, b = start_nodes(start_quiverd, s3_server)
    ca, cb = pa.flight.connect(a.location), pa.flight.connect(b.location)
    old = pa.table({"n": pa.array([1, 2, 3], pa.int64())})
    put_table(ca, "victim", old)
    before = stored_files(a.root)

    child = start_half_upload(a.location, "victim", batches=300)
    try:
        wait_for(lambda: uploads_in_progress(a.root) == 1, "the upload to reach node A")
        a.proc.kill()  # kill -9
        a.proc.wait()
    finally:
        child.kill()
        child.wait()
    # Nothing of the upload is visible: no object, no version; B keeps serving.
    assert stored_files(a.root) == before
    assert uncommitted_files(a.root) == []
    assert get_table(cb, "victim").equals(old)
    assert listed_names(cb) == ["victim"]
    newer = pa.table({"n": pa.array([4, 5], pa.int64())})
    put_table(cb, "victim", newer)
    assert get_table(cb, "victim").equals(newer)
    assert b.proc.poll() is None


def error_code(excinfo):
    return type(excinfo.value).__name__


def test_store_outage_during_doget_and_doput(start_quiverd, s3_server):
    (node,) = start_nodes(start_quiverd, s3_server, 1)
    client = pa.flight.connect(node.location)
    big = random_table(3_000_000)  # incompressible: several row groups read one by one
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("big"), big.schema)
    for batch in big.to_batches(max_chunksize=65536):
        writer.write_batch(batch)
    writer.close()

    # The store goes away in the middle of a DoGet...
    reader = client.do_get(pa.flight.Ticket(b"big"))
    reader.read_chunk()
    s3_server.kill()
    with pytest.raises((pa.flight.FlightInternalError, pa.flight.FlightUnavailableError)):
        reader.read_all()
    # ...and of a DoPut: the upload fails, nothing is committed.
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("big"), big.schema)
    with pytest.raises((pa.flight.FlightInternalError, pa.flight.FlightUnavailableError)):
        for batch in big.to_batches(max_chunksize=65536):
            writer.write_batch(batch)
        writer.close()
    with pytest.raises((pa.flight.FlightInternalError, pa.flight.FlightUnavailableError)):
        client.get_flight_info(pa.flight.FlightDescriptor.for_path("never-written"))
    assert node.proc.poll() is None

    # Back without restarting quiverd: the old version whole, writes work again.
    s3_server.restart()
    assert get_table(client, "big").equals(big)
    small = pa.table({"n": pa.array([1], pa.int64()), "x": pa.array([1.0])})
    put_table(client, "after", small)
    assert get_table(client, "after").equals(small)
    assert uncommitted_files(node.root) == []
    assert node.proc.poll() is None


@pytest.mark.parametrize("case", ["missing bucket", "wrong credentials",
                                  "unreachable endpoint", "bad uri"])
def test_bad_object_store_configuration_is_one_clear_line(s3_server, tmp_path, case):
    import subprocess
    from conftest import QUIVERD
    query = f"endpoint_override={s3_server.endpoint}&scheme=http&region={s3_server.region}"
    env = {**os.environ, **s3_server.env()}
    root = f"s3://{s3_server.bucket}/p?{query}"
    expected = ""
    if case == "missing bucket":
        root, expected = f"s3://no-such-bucket/p?{query}", "bucket 'no-such-bucket' does not exist"
    elif case == "wrong credentials":
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        expected = "refused the credentials"
    elif case == "unreachable endpoint":
        root, expected = (f"s3://{s3_server.bucket}/p?endpoint_override=127.0.0.1:1&"
                          "scheme=http&region=us-east-1"), "cannot reach"
    else:
        root, expected = f"s3://{s3_server.bucket}/p?{query}&colour=blue", "colour"
    proc = subprocess.run([str(QUIVERD), "--listen", "127.0.0.1:0", "--root", root],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("quiverd: ") and expected in lines[0], lines
    assert "not-the-secret" not in lines[0] and s3_server.secret_key not in lines[0]


def test_object_store_requests_are_metered(start_quiverd, s3_server):
    from test_metrics import metrics_port, scrape
    root = S3Root(s3_server, "metered")
    node = start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                         root=root)
    client = pa.flight.connect(node.location)
    table = random_table(200_000)
    put_table(client, "m", table)
    assert get_table(client, "m").equals(table)
    samples = scrape(metrics_port(node))
    stored = client.get_flight_info(pa.flight.FlightDescriptor.for_path("m")).total_bytes
    requests = "quiver_object_store_requests_total"
    assert samples[f"{requests}{{operation=create_exclusive}}"] == 1
    assert samples[f"{requests}{{operation=close_write}}"] == 1
    assert samples[f"{requests}{{operation=read}}"] >= 1
    assert samples["quiver_object_store_bytes_total{operation=write}"] == stored
    assert samples["quiver_object_store_bytes_total{operation=read}"] >= stored * 0.9
    assert samples["quiver_object_store_request_duration_seconds_count{operation=read}"] == \
        samples[f"{requests}{{operation=read}}"]
    assert samples["quiver_object_store_errors_total{operation=read}"] == 0


def test_endpoints_list_every_advertised_location(start_quiverd, s3_server):
    # Each node advertises the public name and every node: clients may read from any.
    locations = ["grpc://quiver.example:8815", "grpc://node-a.example:8815",
                 "grpc://node-b.example:8815"]
    flags = [f for loc in locations for f in ("--advertise", loc)]
    a, b = start_nodes(start_quiverd, s3_server, 2, *flags)
    put_table(pa.flight.connect(a.location), "d", pa.table({"n": [1]}))
    for node in (a, b):
        info = pa.flight.connect(node.location).get_flight_info(
            pa.flight.FlightDescriptor.for_path("d"))
        (endpoint,) = info.endpoints
        assert [loc.uri.decode() for loc in endpoint.locations] == locations
