"""quiverd with --users: the cookbook's "Authentication with user/password" client, run
unchanged, plus roles, logout, token expiry, the users file rules and the logs."""
import json
import os
import stat
import subprocess
import time

import pyarrow as pa
import pyarrow.flight
import pytest

from conftest import QUIVERD
from security_util import PASSWORD, add_user, make_users

# The tests that store and read data run on a local root and on an S3 root too
# (conftest.py, storage_backends); the others check authentication or TLS only.


@pytest.fixture
def users_file(tmp_path):
    return make_users(tmp_path / "users.json", test="writer", rita="reader")


@pytest.fixture
def server(start_quiverd, users_file):
    return start_quiverd("--listen", "127.0.0.1:0", "--users", str(users_file))


@pytest.mark.storage_backends
def test_cookbook_auth_client(server):
    # The recipe's client code; only the location differs (the recipe's server listens
    # on 0.0.0.0:8816) and the authenticated action is quiverd's health_check, since
    # quiverd is not the recipe's echo server.
    client = pa.flight.connect(server.location)

    token_pair = client.authenticate_basic_token(b'test', b'password')
    print(token_pair)
    assert token_pair[0] == b'authorization'
    assert token_pair[1].startswith(b'Bearer ')

    options = pa.flight.FlightCallOptions(headers=[token_pair])
    for response in client.do_action(action=pa.flight.Action("health_check", b""),
                                     options=options):
        print(response.body.to_pybytes())
        assert json.loads(response.body.to_pybytes())["status"] == "ok"

    action = pa.flight.Action("echo", b"Hello, world!")
    try:
        list(client.do_action(action=action))
    except pa.flight.FlightUnauthenticatedError as e:
        print("Unauthenticated:", e)
        assert "No credentials supplied" in str(e)
    else:
        raise RuntimeError("Expected call to fail")

    try:
        client.authenticate_basic_token(b'invalid', b'password')
    except pa.flight.FlightUnauthenticatedError as e:
        print("Unauthenticated:", e)
        assert "Unknown user or invalid password" in str(e)
    else:
        raise RuntimeError("Expected call to fail")


def login(server, user, password=PASSWORD):
    client = pa.flight.connect(server.location)
    token = client.authenticate_basic_token(user.encode(), password.encode())
    return client, pa.flight.FlightCallOptions(headers=[token]), token


def put(client, options, name, table):
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path(*name.split("/")),
                              table.schema, options=options)
    writer.write_table(table)
    writer.close()


TABLE = pa.table({"x": [1, 2, 3]})


@pytest.mark.storage_backends
def test_storage_flows_with_a_logged_in_writer(server):
    client, options, _ = login(server, "test")
    put(client, options, "team/data", TABLE)
    infos = list(client.list_flights(options=options))
    assert [info.descriptor.path for info in infos] == [[b"team", b"data"]]
    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("team", "data"),
                                  options=options)
    assert client.do_get(info.endpoints[0].ticket, options=options).read_all() == TABLE
    list(client.do_action(pa.flight.Action("drop_dataset", b"team/data"), options=options))
    assert list(client.list_flights(options=options)) == []


@pytest.mark.storage_backends
def test_reader_is_denied_writes_and_nothing_changes(server):
    writer, writer_options, _ = login(server, "test")
    put(writer, writer_options, "kept", TABLE)
    client, options, _ = login(server, "rita")
    with pytest.raises(pa.flight.FlightUnauthorizedError, match="DoPut"):
        put(client, options, "new", TABLE)
    with pytest.raises(pa.flight.FlightUnauthorizedError, match="drop_dataset"):
        list(client.do_action(pa.flight.Action("drop_dataset", b"kept"), options=options))
    names = [info.descriptor.path for info in client.list_flights(options=options)]
    assert names == [[b"kept"]]


def test_logout_revokes_the_token(server):
    client, options, _ = login(server, "rita")
    results = list(client.do_action(pa.flight.Action("logout", b""), options=options))
    assert json.loads(results[0].body.to_pybytes()) == {"status": "ok"}
    with pytest.raises(pa.flight.FlightUnauthenticatedError, match="Invalid token"):
        list(client.list_flights(options=options))


def test_token_expires(start_quiverd, users_file):
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users_file),
                           "--token-ttl", "2s")
    client, options, _ = login(server, "rita")
    list(client.list_flights(options=options))
    time.sleep(2.5)
    with pytest.raises(pa.flight.FlightUnauthenticatedError, match="Invalid token"):
        list(client.list_flights(options=options))


def test_group_readable_users_file_is_refused(start_quiverd, users_file):
    os.chmod(users_file, 0o640)
    with pytest.raises(RuntimeError, match="chmod 600"):
        start_quiverd("--listen", "127.0.0.1:0", "--users", str(users_file))


def test_non_loopback_needs_an_insecure_flag(start_quiverd, users_file):
    with pytest.raises(RuntimeError, match="--allow-insecure"):
        start_quiverd("--listen", "0.0.0.0:0")
    with pytest.raises(RuntimeError, match="TLS"):
        start_quiverd("--listen", "0.0.0.0:0", "--users", str(users_file))


def test_user_command(tmp_path):
    users = tmp_path / "u.json"
    add_user(users, "alice", "writer", password="alice's password", grants=["sales"])
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600
    content = json.loads(users.read_text())
    assert content["users"][0]["password_hash"].startswith("$argon2id$")
    assert "alice's password" not in users.read_text()
    listed = subprocess.run([str(QUIVERD), "user", "list", "--users", str(users)],
                            check=True, capture_output=True, text=True).stdout
    assert listed == "alice\twriter\tsales\n"
    subprocess.run([str(QUIVERD), "user", "passwd", "alice", "--users", str(users)],
                   input="a new password\n", text=True, check=True, capture_output=True)
    assert json.loads(users.read_text())["users"][0]["password_hash"] != \
        content["users"][0]["password_hash"]
    subprocess.run([str(QUIVERD), "user", "remove", "alice", "--users", str(users)],
                   check=True, capture_output=True)
    assert json.loads(users.read_text())["users"] == []


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_secrets_never_reach_the_log(start_quiverd, users_file, log_format):
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users_file),
                           "--log-format", log_format)
    client, options, token = login(server, "test")
    put(client, options, "d", TABLE)
    errors = []
    for attempt in [lambda: login(server, "test", "wrong password"),
                    lambda: login(server, PASSWORD, PASSWORD),
                    lambda: list(client.list_flights(options=pa.flight.FlightCallOptions(
                        headers=[(b"authorization", token[1][:-3] + b"AAA")])))]:
        with pytest.raises(pa.flight.FlightError) as e:
            attempt()
        errors.append(str(e.value))
    list(client.do_action(pa.flight.Action("logout", b""), options=options))
    with pytest.raises(pa.flight.FlightUnauthenticatedError) as e:
        list(client.list_flights(options=options))
    errors.append(str(e.value))

    log = server.log()
    assert "auth: login user=test" in log
    secrets = [token[1].split(b" ", 1)[1].decode(), "$argon2id$"]
    secrets += [u["password_hash"] for u in json.loads(users_file.read_text())["users"]]
    for secret in secrets:
        assert secret not in log
        for error in errors:
            assert secret not in error
    # The password itself only appears nowhere it could be mistaken for a user name.
    assert f"user={PASSWORD}" not in log


def test_user_changes_apply_to_a_running_server(server, users_file):
    client, options, _ = login(server, "rita")
    list(client.list_flights(options=options))
    add_user(users_file, "nina", "reader")
    subprocess.run([str(QUIVERD), "user", "remove", "rita", "--users", str(users_file)],
                   check=True, capture_output=True)
    time.sleep(1.2)  # quiverd looks at the file at most once a second
    with pytest.raises(pa.flight.FlightUnauthenticatedError, match="Invalid token"):
        list(client.list_flights(options=options))
    with pytest.raises(pa.flight.FlightUnauthenticatedError, match="Unknown user"):
        login(server, "rita")
    _, nina_options, _ = login(server, "nina")
    list(client.list_flights(options=nina_options))
    assert "users file reloaded" in server.log()
