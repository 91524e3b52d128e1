"""The quiver CLI against a quiverd with users and TLS: login, role refusals, logout."""
import os
import subprocess

import pytest

from conftest import QUIVERD
from security_util import add_user, make_certs

QUIVER = QUIVERD.parent / "quiver"


@pytest.fixture
def secure_quiverd(start_quiverd, tmp_path):
    certs = make_certs(tmp_path / "certs")
    users = tmp_path / "users.json"
    add_user(users, "wendy", "writer", password="writer-password")
    add_user(users, "rita", "reader", password="reader-password")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users),
                           "--tls-cert", str(certs / "server.pem"),
                           "--tls-key", str(certs / "server.key"))
    return server, certs


def test_cli_login_roles_logout(secure_quiverd, tmp_path):
    server, certs = secure_quiverd
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("QUIVER_PASSWORD", None)
    base = [str(QUIVER), "--server", f"grpc+tls://localhost:{server.port}",
            "--tls-roots", str(certs / "ca.pem"), "--no-progress"]

    def quiver(*args, password=None):
        run_env = dict(env, QUIVER_PASSWORD=password) if password else env
        return subprocess.run(base + list(args), env=run_env, capture_output=True,
                              text=True, timeout=60)

    data = tmp_path / "t.csv"
    data.write_text("a,b\n1,x\n2,y\n")
    not_logged_in = quiver("ls")
    assert not_logged_in.returncode == 5, not_logged_in.stderr
    assert "No credentials supplied" in not_logged_in.stderr

    assert quiver("login", "--user", "wendy", password="writer-password").returncode == 0
    put = quiver("put", str(data), "--name", "demo/t")
    assert put.returncode == 0, put.stderr
    assert "demo/t" in quiver("ls").stdout

    denied = quiver("--user", "rita", "rm", "demo/t", password="reader-password")
    assert denied.returncode == 6, denied.stderr
    assert "drop_dataset" in denied.stderr
    assert "demo/t" in quiver("ls").stdout

    assert quiver("logout").returncode == 0
    assert quiver("ls").returncode == 5
    refused = quiver("login", "--user", "wendy", password="wrong-password")
    assert refused.returncode == 5
    assert "Unknown user or invalid password" in refused.stderr
    assert "writer-password" not in server.log()
