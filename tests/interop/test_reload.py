"""SIGHUP reloads the TLS certificate and the users file without a restart: the new
certificate is served, user changes apply, and a broken file is refused with a log line
while the previous one stays in force."""
import shutil
import signal
import subprocess
import time

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from conftest import QUIVERD
from security_util import PASSWORD, add_user, make_certs, make_users


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certs(tmp_path_factory.mktemp("reload-certs"))


def hup_and_wait(server, line):
    """Send SIGHUP and wait for one more occurrence of `line` in the log."""
    before = server.log().count(line)
    server.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while server.log().count(line) == before:
        assert server.proc.poll() is None, server.log()
        assert time.monotonic() < deadline, f"no '{line}' after SIGHUP:\n{server.log()}"
        time.sleep(0.05)


def tls_client(server, ca):
    return flight.FlightClient(f"grpc+tls://localhost:{server.port}",
                               tls_root_certs=ca.read_bytes())


def login(client, user):
    token = client.authenticate_basic_token(user.encode(), PASSWORD.encode())
    return flight.FlightCallOptions(headers=[token])


def put(client, name, table, options):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name), table.schema,
                              options=options)
    writer.write_table(table)
    writer.close()


def test_sighup_serves_a_new_certificate(start_quiverd, certs, tmp_path):
    tls = tmp_path / "tls"
    tls.mkdir()
    shutil.copy(certs / "server.pem", tls / "server.pem")
    shutil.copy(certs / "server.key", tls / "server.key")
    users = make_users(tmp_path / "users.json", alice="writer")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users),
                           "--tls-cert", str(tls / "server.pem"),
                           "--tls-key", str(tls / "server.key"),
                           "--shutdown-grace", "2")
    old = tls_client(server, certs / "ca.pem")
    options = login(old, "alice")
    table = pa.table({"x": [1, 2, 3]})
    put(old, "kept", table, options)

    # A long download on the old connection is in flight during the reload.
    big = pa.table({"x": pa.array(range(2_000_000), pa.int64())})
    put(old, "big", big, options)
    reader = old.do_get(flight.Ticket(b"big"), options=options)
    first = reader.read_chunk()

    shutil.copy(certs / "other-server.pem", tls / "server.pem")
    shutil.copy(certs / "other-server.key", tls / "server.key")
    hup_and_wait(server, "TLS certificate reloaded")

    new = tls_client(server, certs / "other-ca.pem")
    new_options = login(new, "alice")
    assert new.do_get(flight.Ticket(b"kept"), options=new_options).read_all() == table
    # The old certificate is no longer served: a client trusting only its CA fails.
    with pytest.raises(flight.FlightError):  # the TLS handshake fails
        login(tls_client(server, certs / "ca.pem"), "alice")
    # The download begun before the reload finished whole (within the grace).
    rest = reader.read_all()
    assert first.data.num_rows + rest.num_rows == big.num_rows

    # A key that does not belong to the certificate is refused; the new one stays.
    shutil.copy(certs / "server.key", tls / "server.key")
    hup_and_wait(server, "TLS certificate not reloaded")
    # Not a PEM file at all: refused too.
    (tls / "server.pem").write_text("not a certificate\n")
    hup_and_wait(server, "TLS certificate not reloaded")
    assert "is not a PEM file" in server.log()
    again = tls_client(server, certs / "other-ca.pem")
    assert again.do_get(flight.Ticket(b"kept"),
                        options=login(again, "alice")).read_all() == table


def test_sighup_reloads_the_users_file(start_quiverd, tmp_path):
    users = make_users(tmp_path / "users.json", alice="writer", rita="reader")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))
    client = flight.connect(server.location)
    alice = login(client, "alice")
    put(client, "d", pa.table({"x": [1]}), alice)

    add_user(users, "nina", "reader")
    subprocess.run([str(QUIVERD), "user", "remove", "rita", "--users", str(users)],
                   check=True, capture_output=True)
    hup_and_wait(server, "users file reloaded")
    nina = login(client, "nina")  # a new user can log in
    assert client.do_get(flight.Ticket(b"d"), options=nina).read_all().num_rows == 1
    with pytest.raises(flight.FlightUnauthenticatedError, match="Unknown user"):
        login(client, "rita")  # a removed one cannot

    # A broken users file is refused with a log line; the users in force stay.
    users.write_text("{ this is not a users file")
    hup_and_wait(server, "users file was not reloaded")
    assert client.do_get(flight.Ticket(b"d"), options=login(client, "nina")).read_all()
    assert "reloading the users file" in server.log()
    assert server.proc.poll() is None
    assert server.stop() == 0
