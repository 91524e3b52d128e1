"""The web console's JSON API (docs/console.md): sessions, CSRF, authorization by role
and grant exactly as on the Flight port, hostile input, and downloads streamed with
bounded server memory."""
import io
import json
import subprocess

import numpy as np
import pyarrow as pa
import pyarrow.csv
import pyarrow.flight
import pyarrow.ipc
import pyarrow.parquet as pq
import pytest

from conftest import QUIVERD
from console_client import ConsoleClient
from security_util import PASSWORD, add_user, make_certs


def put(client, name, table, options=None, mode=None):
    if mode is None:
        descriptor = pa.flight.FlightDescriptor.for_path(*name.split("/"))
    else:
        descriptor = pa.flight.FlightDescriptor.for_command(
            json.dumps({"dataset": name, "mode": mode}))
    writer, _ = client.do_put(descriptor, table.schema, options=options)
    writer.write_table(table)
    writer.close()


def sample(n=100, offset=0):
    return pa.table({"id": pa.array(range(offset, offset + n), pa.int64()),
                     "city": pa.array([None if i % 10 == 0 else f"city{i % 7}"
                                       for i in range(n)]),
                     "amount": pa.array([i * 0.5 for i in range(n)])})


@pytest.fixture
def open_server(start_quiverd):
    return start_quiverd("--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0")


@pytest.fixture
def users_file(tmp_path):
    path = tmp_path / "users.json"
    add_user(path, "wendy", "writer")
    add_user(path, "rita", "reader")
    add_user(path, "gina", "reader", grants=["team"])
    add_user(path, "walt", "writer", grants=["team"])
    return path


@pytest.fixture
def auth_server(start_quiverd, users_file):
    server = start_quiverd("--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                           "--users", str(users_file))
    client = pa.flight.connect(server.location)
    options = pa.flight.FlightCallOptions(
        headers=[client.authenticate_basic_token(b"wendy", PASSWORD.encode())])
    put(client, "team/a", sample(50), options)
    put(client, "team/a", sample(30, 50), options, mode="append")
    put(client, "other", sample(10), options)
    return server


def logged_in(server, user):
    console = ConsoleClient(server)
    response = console.login(user, PASSWORD)
    assert response.status == 200, response.body
    return console


def test_open_console_lists_describes_previews_and_downloads(open_server):
    client = pa.flight.connect(open_server.location)
    table = sample(1000)
    put(client, "sales/2024", table)
    put(client, "sales/2024", sample(500, 1000), mode="append")
    console = ConsoleClient(open_server)
    session = console.session()
    assert session["auth"] is False and session["authenticated"] is True
    assert session["writer"] is True

    listed = console.get("/api/datasets").json()["datasets"]
    assert [(d["name"], d["rows"], d["columns"], d["version"]) for d in listed] == [
        ("sales/2024", 1500, 3, 2)]
    assert listed[0]["bytes"] > 0

    info = console.get("/api/dataset", name="sales/2024").json()
    assert [f["name"] for f in info["schema"]["fields"]] == ["id", "city", "amount"]
    assert info["schema"]["fields"][0]["type"] == "int64"
    assert info["actions"] == {"drop": True, "restore": True, "compact": True}

    versions = console.get("/api/versions", name="sales/2024").json()["versions"]
    assert [(v["version"], v["operation"], v["rows"], v["current"]) for v in versions] == [
        (1, "overwrite", 1000, False), (2, "append", 1500, True)]

    preview = console.get("/api/preview", name="sales/2024", version=1, limit=5).json()
    assert preview["columns"] == ["id", "city", "amount"]
    assert preview["rows"] == [[0, None, 0.0], [1, "city1", 0.5], [2, "city2", 1.0],
                               [3, "city3", 1.5], [4, "city4", 2.0]]

    stats = {c["name"]: c for c in
             console.get("/api/stats", name="sales/2024").json()["columns"]}
    assert stats["id"]["min"] == "0" and stats["id"]["max"] == "1499"
    assert stats["city"]["nulls"] == 150
    assert stats["amount"]["max"] == "499.5"  # 999 * 0.5 (the append has smaller amounts)

    expected = pa.concat_tables([table, sample(500, 1000)])
    parquet = console.get("/api/download", name="sales/2024", format="parquet")
    assert parquet.status == 200
    assert pq.read_table(io.BytesIO(parquet.body)).equals(expected)
    arrow = console.get("/api/download", name="sales/2024", format="arrow")
    assert pa.ipc.open_stream(arrow.body).read_all().equals(expected)
    csv = console.get("/api/download", name="sales/2024", format="csv", version=1)
    assert pa.csv.read_csv(io.BytesIO(csv.body)).num_rows == 1000
    assert csv.header("x-quiver-version") == "1"
    assert parquet.header("content-disposition") == "attachment; filename*=UTF-8''2024.parquet"


def test_writer_actions_need_csrf_and_take_effect(open_server):
    client = pa.flight.connect(open_server.location)
    put(client, "d", sample(10))
    put(client, "d", sample(20))
    console = ConsoleClient(open_server)
    console.session()
    # No token, a wrong one, or the right one in a form post: refused, nothing changed.
    for headers in ({"X-Quiver-CSRF": ""}, {"X-Quiver-CSRF": "0" * 64}):
        refused = console.post("/api/restore", {"name": "d", "version": 1}, headers=headers)
        assert refused.status == 403, refused.body
        assert "CSRF" in refused.json()["error"]
    form = console.request("POST", "/api/drop", raw_body=b"name=d",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status == 400
    assert console.get("/api/dataset", name="d").json()["version"] == 2

    restored = console.post("/api/restore", {"name": "d", "version": 1})
    assert restored.status == 200, restored.body
    assert restored.json()["version"] == 3 and restored.json()["rows"] == 10
    assert client.get_flight_info(
        pa.flight.FlightDescriptor.for_path("d")).total_records == 10
    compacted = console.post("/api/compact", {"name": "d"})
    assert compacted.status == 200, compacted.body
    dropped = console.post("/api/drop", {"name": "d"})
    assert dropped.status == 200, dropped.body
    assert console.get("/api/datasets").json()["datasets"] == []
    assert console.get("/api/dataset", name="d").status == 404


def test_requests_without_a_session_are_unauthenticated(auth_server):
    console = ConsoleClient(auth_server)
    session = console.session()
    assert session["auth"] is True and session["authenticated"] is False
    for path in ("/api/datasets", "/api/health", "/api/metrics"):
        assert console.get(path).status == 401
    assert console.get("/api/download", name="other").status == 401
    console.cookie = "qv1.forged.token"
    assert console.get("/api/datasets").status == 401
    # The pages themselves load (they show the login form).
    page = console.get("/")
    assert page.status == 200 and b"/app.js" in page.body
    assert "default-src 'self'" in page.header("content-security-policy")


def test_login_failures_and_cookie(auth_server):
    console = ConsoleClient(auth_server)
    assert console.login("wendy", "wrong").status == 401
    assert console.login("nobody", PASSWORD).status == 401
    console.session()
    assert console.post("/api/login", {"user": "wendy", "password": PASSWORD},
                        headers={"X-Quiver-CSRF": "bad"}).status == 403
    assert console.post("/api/login", {"user": "wendy"}).status == 400
    response = console.login("wendy", PASSWORD)
    assert response.status == 200
    cookie = response.header("set-cookie")
    assert cookie.startswith("quiver_session=qv1.")
    attributes = [a.strip() for a in cookie.split(";")[1:]]
    assert "HttpOnly" in attributes and "SameSite=Strict" in attributes
    assert "Path=/" in attributes and f"Max-Age={12 * 3600}" in attributes
    assert "Secure" not in attributes  # plain HTTP on loopback
    assert response.json()["user"] == "wendy" and response.json()["role"] == "writer"


def test_logout_revokes_the_session(auth_server):
    console = logged_in(auth_server, "rita")
    assert console.get("/api/datasets").status == 200
    token = console.cookie
    assert console.post("/api/logout").status == 200
    assert console.cookie is None
    console.cookie = token  # the old cookie, replayed
    assert console.get("/api/datasets").status == 401


def test_reader_sees_everything_but_may_not_write(auth_server):
    console = logged_in(auth_server, "rita")
    assert console.session()["writer"] is False
    names = [d["name"] for d in console.get("/api/datasets").json()["datasets"]]
    assert names == ["other", "team/a"]
    info = console.get("/api/dataset", name="team/a").json()
    assert info["actions"] == {"drop": False, "restore": False, "compact": False}
    assert console.get("/api/preview", name="team/a").status == 200
    assert console.get("/api/download", name="team/a").status == 200
    for path, body in (("/api/drop", {"name": "team/a"}),
                       ("/api/restore", {"name": "team/a", "version": 1}),
                       ("/api/compact", {"name": "team/a"})):
        refused = console.post(path, body)
        assert refused.status == 403, refused.body
        assert "user 'rita' (role reader) may not" in refused.json()["error"]
    assert console.get("/api/dataset", name="team/a").json()["version"] == 2


def test_grants_limit_what_is_listed_read_and_changed(auth_server):
    gina = logged_in(auth_server, "gina")
    assert [d["name"] for d in gina.get("/api/datasets").json()["datasets"]] == ["team/a"]
    for path in ("/api/dataset", "/api/versions", "/api/preview", "/api/stats",
                 "/api/download"):
        refused = gina.get(path, name="other")
        assert refused.status == 403, (path, refused.body)
        assert "outside the user's grants" in refused.json()["error"]
    walt = logged_in(auth_server, "walt")
    assert walt.post("/api/drop", {"name": "other"}).status == 403
    restored = walt.post("/api/restore", {"name": "team/a", "version": 1})
    assert restored.status == 200, restored.body
    assert restored.json()["rows"] == 50
    # A CSRF token belongs to its session: walt's token does not work for gina.
    gina.csrf = walt.csrf
    assert gina.post("/api/logout").status == 403


def test_hostile_input(open_server):
    client = pa.flight.connect(open_server.location)
    put(client, "d", sample(10))
    console = ConsoleClient(open_server)
    console.session()
    bad_names = ["", "..", "a/../b", "a//b", ".hidden", "a\x00b", "a\nb", "x" * 2000,
                 "a\\b", "/".join(["s"] * 40)]
    for name in bad_names:
        response = console.get("/api/dataset", name=name)
        assert response.status == 400, (name, response.body)
        assert "error" in response.json()
    non_utf8 = console.request("GET", "/api/dataset?name=%ff%fe")
    assert non_utf8.status == 400
    assert console.get("/api/dataset").status == 400  # no name at all
    assert console.get("/api/dataset", name="missing").status == 404
    assert console.get("/api/dataset", name="d", version=99).status == 404
    for limit in ("1000000000000", "-1", "ten", "1e3", "99999999999999999999999"):
        response = console.get("/api/preview", name="d", limit=limit)
        assert response.status == 400, (limit, response.body)
        assert "limit" in response.json()["error"]
    assert console.get("/api/preview", name="d", version="0").status == 400
    assert console.get("/api/download", name="d", format="xml").status == 400
    for raw in (b"{", b"[1, 2]", b"null", b"\xff\xfe", b'{"name": 7}'):
        response = console.request("POST", "/api/drop", raw_body=raw,
                                   headers={"Content-Type": "application/json"})
        assert response.status == 400, (raw, response.body)
    response = console.request("POST", "/api/restore",
                               body={"name": "d", "version": "1"})
    assert response.status == 400
    huge = console.request("POST", "/api/drop", raw_body=b'{"name": "' + b"a" * 200000 + b'"}',
                           headers={"Content-Type": "application/json"})
    assert huge.status == 413
    assert console.get("/api/nothing-here").status == 404
    # The dataset survived all of it.
    assert console.get("/api/dataset", name="d").json()["rows"] == 10


def test_console_on_a_public_address_needs_users_and_tls(tmp_path):
    result = subprocess.run([str(QUIVERD), "--root", str(tmp_path / "root"), "--listen",
                             "127.0.0.1:0", "--console-listen", "0.0.0.0:0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "refusing to serve the console on the non-loopback address 0.0.0.0" in \
        result.stderr


def test_console_over_tls_uses_the_flight_certificate(start_quiverd, users_file, tmp_path):
    certs = make_certs(tmp_path / "certs")
    server = start_quiverd("--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                           "--users", str(users_file), "--tls-cert",
                           str(certs / "server.pem"), "--tls-key", str(certs / "server.key"))
    console = ConsoleClient(server, ca_file=str(certs / "ca.pem"))
    assert console.scheme == "https"
    response = console.login("rita", PASSWORD)
    assert response.status == 200, response.body
    assert "Secure" in [a.strip() for a in response.header("set-cookie").split(";")]
    assert console.get("/api/health").json()["ready"] is True


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_large_download_streams_with_bounded_memory(open_server, start_quiverd):
    client = pa.flight.connect(open_server.location)
    # 400 MiB of int64s that barely compress, uploaded in batches of 8 MiB.
    rows_per_batch = 1 << 20
    batches = 50
    schema = pa.schema([("x", pa.int64())])
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("big"), schema)
    for b in range(batches):
        values = pa.array(np.random.default_rng(b).integers(0, 1 << 62, rows_per_batch))
        writer.write_batch(pa.record_batch([values], schema=schema))
    writer.close()
    total_rows = rows_per_batch * batches
    # A fresh process on the same root: its peak memory is the download's alone.
    root = open_server.root
    open_server.stop()
    server = start_quiverd("--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                           root=root)
    before = vm_hwm_kib(server.proc.pid)

    console = ConsoleClient(server)
    received = [0]

    def consume(chunk):
        received[0] += len(chunk)

    response = console.request("GET", "/api/download",
                               params={"name": "big", "format": "arrow"}, stream_to=consume)
    assert response.status == 200
    assert received[0] >= total_rows * 8
    grown_mib = (vm_hwm_kib(server.proc.pid) - before) / 1024
    print(f"download of {received[0] >> 20} MiB: server peak RSS grew by {grown_mib:.0f} MiB")
    # Half the download at most: the whole file is never held (it is 400 MiB).
    assert grown_mib < 200, f"server peak memory grew by {grown_mib:.0f} MiB"
