"""quiverd with --tls-cert/--tls-key (and --tls-client-ca): the cookbook's "Securing
connections with TLS" client, run unchanged, storage flows over TLS with a logged-in
user, and the connections that must be refused."""
import pyarrow
import pyarrow as pa
import pyarrow.flight
import pandas as pd
import pytest

from security_util import PASSWORD, make_certs, make_users

# The tests that store and read data run on a local root and on an S3 root too
# (conftest.py, storage_backends); the others check authentication or TLS only.


@pytest.fixture(scope="session")
def certs(tmp_path_factory):
    return make_certs(tmp_path_factory.mktemp("certs"))


def tls_flags(certs, cert="server"):
    return ["--tls-cert", str(certs / f"{cert}.pem"), "--tls-key", str(certs / f"{cert}.key")]


@pytest.fixture
def tls_server(start_quiverd, certs):
    return start_quiverd("--listen", "127.0.0.1:0", *tls_flags(certs))


# --- The cookbook's client, verbatim (argparse replaced by the values it would get) ---

# Assumes incoming data object is a Pandas Dataframe
def push_to_server(name, data, client):
    object_to_send = pyarrow.Table.from_pandas(data)
    writer, _ = client.do_put(pyarrow.flight.FlightDescriptor.for_path(name), object_to_send.schema)
    writer.write_table(object_to_send)
    writer.close()


def cookbook_main(tls_roots, host, port):
    kwargs = {}

    with open(tls_roots, "rb") as root_certs:
        kwargs["tls_root_certs"] = root_certs.read()

    client = pyarrow.flight.FlightClient(f"grpc+tls://{host}:{port}", **kwargs)
    data = {'Animal': ['Dog', 'Cat', 'Mouse'], 'Size': ['Big', 'Small', 'Tiny']}
    df = pd.DataFrame(data, columns=['Animal', 'Size'])
    push_to_server("AnimalData", df, client)


@pytest.mark.storage_backends
def test_cookbook_tls_client_uploads_animal_data(tls_server, certs):
    assert tls_server.scheme == "grpc+tls"
    cookbook_main(str(certs / "ca.pem"), "localhost", tls_server.port)

    client = pa.flight.FlightClient(f"grpc+tls://localhost:{tls_server.port}",
                                    tls_root_certs=(certs / "ca.pem").read_bytes())
    info = client.get_flight_info(pa.flight.FlightDescriptor.for_path("AnimalData"))
    table = client.do_get(info.endpoints[0].ticket).read_all()
    assert table.column("Animal").to_pylist() == ["Dog", "Cat", "Mouse"]
    assert table.column("Size").to_pylist() == ["Big", "Small", "Tiny"]


@pytest.mark.storage_backends
def test_storage_flows_over_tls_with_a_logged_in_user(start_quiverd, certs, tmp_path):
    users = make_users(tmp_path / "users.json", test="writer")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users),
                           *tls_flags(certs))
    client = pa.flight.FlightClient(f"grpc+tls://localhost:{server.port}",
                                    tls_root_certs=(certs / "ca.pem").read_bytes())
    token = client.authenticate_basic_token(b"test", PASSWORD.encode())
    options = pa.flight.FlightCallOptions(headers=[token])
    table = pa.table({"x": list(range(1000)), "y": [str(i) for i in range(1000)]})
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("secure", "t"),
                              table.schema, options=options)
    writer.write_table(table)
    writer.close()
    [info] = client.list_flights(options=options)
    assert info.total_records == 1000
    assert client.get_schema(info.descriptor, options=options).schema == table.schema
    assert client.do_get(info.endpoints[0].ticket, options=options).read_all() == table
    list(client.do_action(pa.flight.Action("drop_dataset", b"secure/t"), options=options))
    assert list(client.list_flights(options=options)) == []
    with pytest.raises(pa.flight.FlightUnauthenticatedError, match="No credentials"):
        list(client.list_flights())


QUICK = pa.flight.FlightCallOptions(timeout=10)


def health(client):
    return list(client.do_action(pa.flight.Action("health_check", b""), options=QUICK))


def test_plaintext_client_is_refused(tls_server):
    client = pa.flight.FlightClient(f"grpc://localhost:{tls_server.port}")
    with pytest.raises(pa.flight.FlightUnavailableError):
        health(client)


def test_client_trusting_another_ca_is_refused(tls_server, certs):
    client = pa.flight.FlightClient(f"grpc+tls://localhost:{tls_server.port}",
                                    tls_root_certs=(certs / "other-ca.pem").read_bytes())
    with pytest.raises(pa.flight.FlightUnavailableError):
        health(client)


def test_expired_server_certificate_is_refused(start_quiverd, certs):
    server = start_quiverd("--listen", "127.0.0.1:0", *tls_flags(certs, "expired-server"))
    client = pa.flight.FlightClient(f"grpc+tls://localhost:{server.port}",
                                    tls_root_certs=(certs / "ca.pem").read_bytes())
    with pytest.raises(pa.flight.FlightUnavailableError):
        health(client)


@pytest.fixture
def mtls_server(start_quiverd, certs):
    return start_quiverd("--listen", "127.0.0.1:0", *tls_flags(certs),
                         "--tls-client-ca", str(certs / "ca.pem"))


def mtls_client(server, certs, name=None):
    kwargs = {"tls_root_certs": (certs / "ca.pem").read_bytes()}
    if name:
        kwargs["cert_chain"] = (certs / f"{name}.pem").read_bytes()
        kwargs["private_key"] = (certs / f"{name}.key").read_bytes()
    return pa.flight.FlightClient(f"grpc+tls://localhost:{server.port}", **kwargs)


def test_mtls_accepts_a_client_certificate_of_the_ca(mtls_server, certs):
    assert health(mtls_client(mtls_server, certs, "client"))


@pytest.mark.parametrize("name", [None, "other-client", "expired-client"])
def test_mtls_refuses_missing_foreign_or_expired_client_certificates(mtls_server, certs,
                                                                     name):
    with pytest.raises(pa.flight.FlightUnavailableError):
        health(mtls_client(mtls_server, certs, name))


def test_mtls_certificate_names_the_user(start_quiverd, certs, tmp_path):
    # The development client certificate has CN=client.
    users = make_users(tmp_path / "users.json", client="reader")
    server = start_quiverd("--listen", "127.0.0.1:0", *tls_flags(certs),
                           "--tls-client-ca", str(certs / "ca.pem"), "--users", str(users),
                           "--tls-client-user-from-cert")
    client = mtls_client(server, certs, "client")
    assert health(client)
    with pytest.raises(pa.flight.FlightUnauthorizedError, match="user 'client'"):
        writer, _ = client.do_put(pa.flight.FlightDescriptor.for_path("x"),
                                  pa.schema([("a", pa.int64())]))
        writer.close()
