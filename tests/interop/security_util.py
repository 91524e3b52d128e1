"""Helpers of the security interop tests: development certificates and users files,
made with the project's own tools (scripts/make-dev-certs.sh, `quiverd user add`)."""
import pathlib
import subprocess

from conftest import QUIVERD, REPO

PASSWORD = "password"  # the cookbook's


def make_certs(directory):
    """Run scripts/make-dev-certs.sh into `directory`; return it as a Path."""
    directory = pathlib.Path(directory)
    subprocess.run([str(REPO / "scripts" / "make-dev-certs.sh"), str(directory)],
                   check=True, capture_output=True)
    return directory


def add_user(users_file, name, role, password=PASSWORD, grants=()):
    """`quiverd user add NAME --role ROLE --users FILE`, password on stdin."""
    cmd = [str(QUIVERD), "user", "add", name, "--role", role, "--users", str(users_file)]
    for grant in grants:
        cmd += ["--grant", grant]
    subprocess.run(cmd, input=password + "\n", text=True, check=True, capture_output=True)


def make_users(path, **roles):
    """A users file with one user per keyword: make_users(p, test="writer")."""
    for name, role in roles.items():
        add_user(path, name, role)
    return path
