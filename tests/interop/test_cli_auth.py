"""The CLI's login, token cache, TLS and mTLS, against a Flight server that logs users
in the way the Flight cookbook's "Authentication with user/password" recipe does.

quiverd's own authentication is built on another branch; this server plays the
protocol it follows (Handshake with Basic credentials -> "authorization: Bearer <token>"
header on later calls) so the client side is tested now.
"""
import base64
import json
import os
import secrets
import stat
import subprocess
import threading

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from quiver_cli import QUIVER, OnTerminal, cli_env, run

OK, ERROR, USAGE, UNREACHABLE, NOT_FOUND, UNAUTHENTICATED = range(6)
USERS = {"test": "password"}


class BasicAuthFactory(flight.ServerMiddlewareFactory):
    """The cookbook's middleware factory, with a lock around the token table."""

    def __init__(self, creds):
        self.creds = creds
        self.tokens = {}
        self.lock = threading.Lock()

    def start_call(self, info, headers):
        auth = next((v[0] for k, v in headers.items() if k.lower() == "authorization"), None)
        if not auth:
            raise flight.FlightUnauthenticatedError("No credentials supplied")
        kind, _, value = auth.partition(" ")
        if kind == "Basic":
            user, _, password = base64.b64decode(value).decode().partition(":")
            if not password or password != self.creds.get(user):
                raise flight.FlightUnauthenticatedError("Unknown user or invalid password")
            token = secrets.token_urlsafe(32)
            with self.lock:
                self.tokens[token] = user
            return BasicAuthMiddleware(token)
        if kind == "Bearer":
            with self.lock:
                if value not in self.tokens:
                    raise flight.FlightUnauthenticatedError("Invalid token")
            return BasicAuthMiddleware(value)
        raise flight.FlightUnauthenticatedError("No credentials supplied")


class BasicAuthMiddleware(flight.ServerMiddleware):
    def __init__(self, token):
        self.token = token

    def sending_headers(self):
        return {"authorization": f"Bearer {self.token}"}


class NoOpAuthHandler(flight.ServerAuthHandler):
    def authenticate(self, outgoing, incoming):
        pass

    def is_valid(self, token):
        return ""


class GuardedServer(flight.FlightServerBase):
    """One dataset, "secret/data"; a "logout" action revokes the caller's token."""

    TABLE = pa.table({"x": [1, 2, 3]})

    def __init__(self, location, auth=True, **kwargs):
        self.auth = BasicAuthFactory(USERS) if auth else None
        extra = {"auth_handler": NoOpAuthHandler(), "middleware": {"basic": self.auth}} \
            if auth else {}
        super().__init__(location, **extra, **kwargs)

    def _info(self):
        descriptor = flight.FlightDescriptor.for_path("secret", "data")
        endpoint = flight.FlightEndpoint(b"secret/data", [])
        return flight.FlightInfo(self.TABLE.schema, descriptor, [endpoint],
                                 self.TABLE.num_rows, 123)

    def list_flights(self, context, criteria):
        yield self._info()

    def get_flight_info(self, context, descriptor):
        return self._info()

    def do_get(self, context, ticket):
        return flight.RecordBatchStream(self.TABLE)

    def do_action(self, context, action):
        if action.type != "logout":
            raise flight.FlightServerError(f"unknown action {action.type}")
        token = context.get_middleware("basic").token
        with self.auth.lock:
            self.auth.tokens.pop(token, None)
        return []


@pytest.fixture
def guarded():
    server = GuardedServer("grpc://127.0.0.1:0")
    yield server, f"grpc://127.0.0.1:{server.port}"
    server.shutdown()


def token_file(tmp_path):
    return tmp_path / "config" / "quiver" / "tokens.json"


def test_login_keeps_a_private_token_that_later_commands_use(guarded, tmp_path):
    server, url = guarded
    env = cli_env(tmp_path / "config", server=url, QUIVER_PASSWORD="password")
    login = run(["login", "--user", "test"], env)
    assert login.returncode == OK, login.stderr
    path = token_file(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    saved = json.loads(path.read_text())[url]
    assert saved["user"] == "test" and saved["value"].startswith("Bearer ")
    assert "password" not in path.read_text()
    # Later commands need no password: the token does it.
    env.pop("QUIVER_PASSWORD")
    listed = run(["ls", "--json"], env)
    assert listed.returncode == OK, listed.stderr
    assert [d["name"] for d in json.loads(listed.stdout)] == ["secret/data"]
    got = run(["get", "secret/data"], env)
    assert got.returncode == OK and got.stdout.decode().splitlines() == ['"x"', "1", "2", "3"]
    # The same server written without the scheme shares the login.
    bare = run(["--server", url.removeprefix("grpc://"), "ls"], env)
    assert bare.returncode == OK, bare.stderr


def test_login_asks_for_the_password_on_the_terminal_without_echo(guarded, tmp_path):
    _, url = guarded
    env = cli_env(tmp_path / "config", server=url)
    term = OnTerminal(["login", "--user", "test"], env)
    assert term.read_until(b"Password for test at " + url.encode())
    term.type(b"password\n")
    code, out, screen = term.finish()
    assert code == OK, screen
    assert b"logged in to" in out
    assert b"password" not in screen.split(b"Password for", 1)[1]  # not echoed
    assert json.loads(token_file(tmp_path).read_text())[url]["user"] == "test"


def test_refused_login_exits_unauthenticated(guarded, tmp_path):
    _, url = guarded
    env = cli_env(tmp_path / "config", server=url, QUIVER_PASSWORD="wrong")
    result = run(["login", "--user", "test"], env)
    assert result.returncode == UNAUTHENTICATED
    line, = result.stderr.decode().splitlines()
    assert "Unknown user or invalid password" in line and "wrong" not in line
    assert not token_file(tmp_path).exists()


def test_commands_without_credentials_exit_unauthenticated(guarded, tmp_path):
    _, url = guarded
    result = run(["ls"], cli_env(tmp_path / "config", server=url))
    assert result.returncode == UNAUTHENTICATED
    line, = result.stderr.decode().splitlines()
    assert "No credentials supplied" in line and "quiver login" in line


def test_user_option_logs_in_for_one_command_only(guarded, tmp_path):
    _, url = guarded
    env = cli_env(tmp_path / "config", server=url, QUIVER_PASSWORD="password")
    result = run(["--user", "test", "info", "secret/data"], env)
    assert result.returncode == OK, result.stderr
    assert b"rows:       3" in result.stdout
    assert not token_file(tmp_path).exists()


def test_password_is_never_read_from_the_command_line(guarded, tmp_path):
    _, url = guarded
    env = cli_env(tmp_path / "config", server=url)
    assert run(["login", "--user", "test", "--password", "password"], env).returncode == USAGE


def test_login_without_a_terminal_or_password_says_how(guarded, tmp_path):
    _, url = guarded
    env = cli_env(tmp_path / "config", server=url)
    result = subprocess.run([str(QUIVER), "login", "--user", "test"],
                            env=env, capture_output=True, stdin=subprocess.DEVNULL,
                            start_new_session=True, timeout=60)  # no controlling terminal
    assert result.returncode == USAGE
    assert b"QUIVER_PASSWORD" in result.stderr


def test_a_refused_saved_token_is_forgotten(guarded, tmp_path):
    server, url = guarded
    env = cli_env(tmp_path / "config", server=url, QUIVER_PASSWORD="password")
    assert run(["login", "--user", "test"], env).returncode == OK
    with server.auth.lock:
        server.auth.tokens.clear()  # the token expired or was revoked server-side
    result = run(["ls"], env)
    assert result.returncode == UNAUTHENTICATED
    line, = result.stderr.decode().splitlines()
    assert "saved login" in line and "Invalid token" in line and "quiver login" in line
    assert url not in json.loads(token_file(tmp_path).read_text())


def test_logout_revokes_and_forgets_the_token(guarded, tmp_path):
    server, url = guarded
    env = cli_env(tmp_path / "config", server=url, QUIVER_PASSWORD="password")
    assert run(["login", "--user", "test"], env).returncode == OK
    assert len(server.auth.tokens) == 1
    result = run(["logout"], env)
    assert result.returncode == OK and b"revoked by the server" in result.stdout
    assert server.auth.tokens == {}
    assert url not in json.loads(token_file(tmp_path).read_text())
    assert b"not logged in" in run(["logout"], env).stdout


# --- TLS and mutual TLS -------------------------------------------------------------

def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.pem",
            cwd=directory)


def make_signed(directory, ca, name, san=None):
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
    ext = directory / f"{name}.ext"
    ext.write_text(f"subjectAltName={san}\n" if san else "basicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-extfile", ext.name, "-out", f"{name}.pem",
            cwd=directory)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    make_ca(d, "ca")
    make_ca(d, "other-ca")
    make_signed(d, "ca", "server", san="DNS:localhost,IP:127.0.0.1")
    make_signed(d, "ca", "client")
    return d


def tls_server(pki, verify_client=False):
    pair = flight.CertKeyPair(cert=(pki / "server.pem").read_bytes(),
                              key=(pki / "server.key").read_bytes())
    return GuardedServer("grpc+tls://127.0.0.1:0", auth=False, tls_certificates=[pair],
                         verify_client=verify_client,
                         root_certificates=(pki / "ca.pem").read_bytes())


def test_tls_server_needs_the_right_roots(pki, tmp_path):
    server = tls_server(pki)
    try:
        env = cli_env(tmp_path / "config", server=f"grpc+tls://localhost:{server.port}")
        trusted = run(["--tls-roots", pki / "ca.pem", "ls", "--json"], env)
        assert trusted.returncode == OK, trusted.stderr
        assert json.loads(trusted.stdout)[0]["name"] == "secret/data"
        for args in (["ls"], ["--tls-roots", pki / "other-ca.pem", "ls"]):
            refused = run(args, env)
            assert refused.returncode == UNREACHABLE
            line, = refused.stderr.decode().splitlines()
            assert "--tls-roots" in line
        # A bare HOST:PORT with --tls-roots means grpc+tls://.
        bare = run(["--server", f"localhost:{server.port}", "--tls-roots", pki / "ca.pem",
                    "ls"], env)
        assert bare.returncode == OK, bare.stderr
    finally:
        server.shutdown()


def test_mutual_tls_needs_a_client_certificate(pki, tmp_path):
    server = tls_server(pki, verify_client=True)
    try:
        env = cli_env(tmp_path / "config", server=f"grpc+tls://localhost:{server.port}")
        roots = ["--tls-roots", pki / "ca.pem"]
        with_cert = run([*roots, "--cert", pki / "client.pem", "--key", pki / "client.key",
                         "ls"], env)
        assert with_cert.returncode == OK, with_cert.stderr
        assert run([*roots, "ls"], env).returncode == UNREACHABLE
        half = run([*roots, "--cert", pki / "client.pem", "ls"], env)
        assert half.returncode == USAGE and b"private key" in half.stderr
    finally:
        server.shutdown()
